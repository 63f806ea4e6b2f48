// EPUBCheck as one long-lived JVM for a whole test run.
//
// Starting a JVM and loading EPUBCheck's schemas costs seconds per book on
// a busy machine; a warm one checks a small book in a fraction of that. It
// reads lines "BOOK<TAB>REPORT.json" on stdin, runs EPUBCheck's own command
// line (`--json REPORT.json BOOK`) in this JVM, and answers "done CODE".
//
//   java -cp epubcheck.jar tests/tools/EpubCheckServer.java
// (single-file source launch: needs a JDK, which tests/run.sh installs)

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckServer {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // EPUBCheck prints its progress on stdout: keep it off the answers.
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] job = line.split("\t");
            if (job.length != 2) {
                answers.println("error expected BOOK<TAB>REPORT");
                continue;
            }
            int code;
            try {
                code = new EpubChecker().run(new String[] {"--json", job[1], "-q", job[0]});
            } catch (Throwable t) {
                answers.println("error " + t.toString().replaceAll("\\s+", " "));
                continue;
            }
            answers.println("done " + code);
        }
    }
}
