// llhttp's own request and response cases against Http1Parser: everything llhttp refuses we refuse;
// what llhttp accepts we parse identically, or refuse on purpose for a reason listed below.
//
// How the llhttp verdicts map:
// - "error code=N" (N other than 22/23): must be refused.
// - code 22/23 ("Pause on CONNECT/Upgrade", "Pause on PRI/Upgrade") is not an error but llhttp
//   handing the stream to another protocol: we must refuse the case or pause at the same offset.
// - no error: we must accept, with the same method, target, status, fields, body, trailers and
//   completion for every message whose head llhttp completed; or refuse it on purpose (allow-list).
// - "-finish" cases: finish=2 (unsafe) must be refused at EOF; 0/1 accepted.
// Lenient types (request-lenient-headers, -optional-lf-after-cr, -keep-alive, ...) run llhttp with
// a leniency flag on. Gatehouse has no leniency switch: each of these cases llhttp accepts is in
// the allow-list with the leniency it needs. llhttp does not check Host, so the corpus runs with
// setRequireHost(false); tst_http1parser covers Host.
#include "http1testutil.h"
#include "llhttpcase.h"

#include <QDir>
#include <QHash>
#include <QSet>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

const char kLenientHeaders[] = "needs llhttp's lenient-headers (control bytes in values, obs-fold, "
                               "whitespace before names)";
const char kLenientLineEnding[] = "needs a lenient line-ending flag: bare CR or bare LF is refused "
                                  "for safety (see Http1Parser)";
const char kLenientKeepAlive[] = "needs lenient-keep-alive: bytes after a closing message are "
                                 "refused";
const char kLenientChunk[] = "needs a lenient chunk flag: chunk framing is exact";
const char kLenientTe[] = "needs lenient-transfer-encoding/chunked-length: CL+TE and non-final "
                          "chunked are smuggling vectors";
const char kLenientVersion[] = "needs lenient-version: only HTTP/1.0 and 1.1 are accepted (505)";
const char kNotHttp[] = "RTSP/ICE are not HTTP: refused";
const char kNoHttp09[] = "HTTP/0.9 is refused (505)";
const char kAsterisk[] = "asterisk-form is only valid with OPTIONS (RFC 9112 3.2.4)";
const char kUnregisteredMethod[] = "method not in the IANA registry: 501";
const char kFragment[] = "'#' is not part of a request-target; refused so the router and the "
                         "upstream cannot disagree on the path";
const char kResponseTe[] = "response whose Transfer-Encoding does not end with chunked: llhttp "
                           "reads until close, we answer 502 rather than guess";

// Cases llhttp accepts that Gatehouse refuses on purpose, keyed "file#heading".
const QHash<QString, const char *> &deliberateRefusals()
{
    static const QHash<QString, const char *> list = {
        {QStringLiteral("request/connection.md#Resetting flags when keep-alive is off (1.0, lenient)"), kLenientKeepAlive},
        {QStringLiteral("request/connection.md#CRLF between requests, explicit `close` (lenient)"), kLenientKeepAlive},
        {QStringLiteral("request/content-length.md#Missing CRLF-CRLF before body (lenient)"), kLenientLineEnding},
        {QStringLiteral("request/content-length.md#No error on simultaneous `Content-Length` and `Transfer-Encoding: identity` (lenient)"), kLenientTe},
        {QStringLiteral("request/invalid.md#Only LFs present (lenient)"), kLenientLineEnding},
        {QStringLiteral("request/invalid.md#Spaces before headers (lenient)"), kLenientHeaders},
        {QStringLiteral("request/lenient-header-value-relaxed.md#Control char in header value (relaxed)"), kLenientHeaders},
        {QStringLiteral("request/lenient-headers.md#Header value (lenient)"), kLenientHeaders},
        {QStringLiteral("request/lenient-headers.md#Second request header value (lenient)"), kLenientHeaders},
        {QStringLiteral("request/lenient-headers.md#Empty headers separated by CR (lenient)"), kLenientHeaders},
        {QStringLiteral("request/lenient-version.md#Invalid HTTP version (lenient)"), kLenientVersion},
        {QStringLiteral("request/method.md#M-SEARCH request"), kAsterisk},
        {QStringLiteral("request/method.md#SOURCE request"), kUnregisteredMethod},
        {QStringLiteral("request/method.md#SOURCE request with ICE"), kNotHttp},
        {QStringLiteral("request/method.md#OPTIONS request with RTSP"), kNotHttp},
        {QStringLiteral("request/method.md#ANNOUNCE request with RTSP"), kNotHttp},
        {QStringLiteral("request/sample.md#No HTTP version"), kNoHttp09},
        {QStringLiteral("request/sample.md#Line folding in header value with CRLF"), kLenientHeaders},
        {QStringLiteral("request/sample.md#No LF after CR (lenient)"), kLenientLineEnding},
        {QStringLiteral("request/sample.md#X-SSL-Nonsense"), kLenientHeaders},
        {QStringLiteral("request/transfer-encoding.md#POST with `Transfer-Encoding` and `Content-Length` (lenient)"), kLenientTe},
        {QStringLiteral("request/transfer-encoding.md#POST with `chunked` before other transfer-coding (lenient)"), "needs lenient-transfer-encoding; its target also has a '#' fragment"},
        {QStringLiteral("request/transfer-encoding.md#POST with `chunked` and duplicate transfer-encoding (lenient)"), kLenientTe},
        {QStringLiteral("request/transfer-encoding.md#POST with `chunked` as last transfer-encoding"), "deflate before chunked is well framed but not implemented: 501"},
        {QStringLiteral("request/transfer-encoding.md#POST with `chunked` as last transfer-encoding (multiple headers)"), "Transfer-Encoding split over two fields is refused (a classic obfuscation)"},
        {QStringLiteral("request/transfer-encoding.md#Chunk header not terminated by CRLF (lenient)"), kLenientLineEnding},
        {QStringLiteral("request/transfer-encoding.md#Chunk data not terminated by CRLF (lenient)"), kLenientChunk},
        {QStringLiteral("request/transfer-encoding.md#Space after chunk header (lenient)"), kLenientChunk},
        {QStringLiteral("request/uri.md#Fragment in URI"), kFragment},
        {QStringLiteral("request/uri.md#`host:port` and basic auth"), "userinfo in an absolute-form target hides the real host (RFC 9110 4.2.4): refused"},
        {QStringLiteral("response/connection.md#HTTP/1.1 with keep-alive disabled, content-length (lenient)"), kLenientKeepAlive},
        {QStringLiteral("response/connection.md#HTTP/1.1 with keep-alive disabled and 204 status (lenient)"), kLenientKeepAlive},
        {QStringLiteral("response/invalid.md#Bare CR after response line (lenient)"), kLenientLineEnding},
        {QStringLiteral("response/invalid.md#Only LFs present and no body (lenient)"), kLenientLineEnding},
        {QStringLiteral("response/invalid.md#Only LFs present (lenient)"), kLenientLineEnding},
        {QStringLiteral("response/lenient-version.md#Invalid HTTP version (lenient)"), kLenientVersion},
        {QStringLiteral("response/sample.md#RTSP response"), kNotHttp},
        {QStringLiteral("response/sample.md#ICE response"), kNotHttp},
        {QStringLiteral("response/sample.md#HTTP version 0.9"), "HTTP/0.9 status line: only 1.0 and 1.1 are accepted"},
        {QStringLiteral("response/sample.md#No carriage ret (lenient)"), kLenientLineEnding},
        {QStringLiteral("response/transfer-encoding.md#`chunked` before other transfer-encoding"), kResponseTe},
        {QStringLiteral("response/transfer-encoding.md#multiple transfer-encoding where chunked is not the last one"), kResponseTe},
        {QStringLiteral("response/transfer-encoding.md#`chunkedchunked` transfer-encoding does not enable chunked enconding"), kResponseTe},
        {QStringLiteral("response/transfer-encoding.md#Invalid OBS fold after chunked value"), kLenientHeaders},
    };
    return list;
}

// Cases llhttp accepts that Gatehouse accepts too but reads differently on purpose.
const QHash<QString, const char *> &deliberateDifferences()
{
    static const QHash<QString, const char *> list = {
        {QStringLiteral("request/content-length.md#Content-Length reset when no body is received"),
         "skipBody is an llhttp callback feature; a request's declared body is always read"},
    };
    return list;
}

QByteArray trimOws(QByteArray v)
{
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove(0, 1);
    return v;
}

QList<QPair<QByteArray, QByteArray>> trimmed(QList<QPair<QByteArray, QByteArray>> fields)
{
    for (auto &f : fields)
        f.second = trimOws(f.second);
    return fields;
}

// Empty when both agree on every message whose head llhttp completed.
QString compareMessages(const LlhttpCase &c, const ParseOutcome &ours)
{
    QList<LlhttpMessage> expected;
    for (const LlhttpMessage &m : c.messages) {
        if (m.headersComplete)
            expected.append(m);
    }
    if (expected.size() != ours.messages.size())
        return QStringLiteral("%1 heads, llhttp %2").arg(ours.messages.size()).arg(expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const LlhttpMessage &e = expected.at(i);
        const ParsedMessage &o = ours.messages.at(i);
        auto differs = [i](const char *what) { return QStringLiteral("message %1: %2 differs").arg(i).arg(QLatin1String(what)); };
        if (c.isRequest() && (e.method != o.method || e.url != o.target))
            return differs("request line");
        if (!c.isRequest() && e.status != o.status)
            return differs("status");
        if (trimmed(e.headers) != o.headers)
            return differs("fields");
        if (trimmed(e.trailers) != o.trailers)
            return differs("trailers");
        if (e.body != o.body)
            return differs("body");
        if (e.complete != o.complete)
            return differs("completion");
        if (o.framing != Http1Framing::NoBody && e.chunked != (o.framing == Http1Framing::Chunked))
            return differs("chunked framing");
        if (e.contentLength >= 0 && o.framing == Http1Framing::ContentLength
            && e.contentLength != o.contentLength)
            return differs("content length");
    }
    return {};
}

} // namespace

class tst_LlhttpCorpus : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void agreesWithLlhttp_data();
    void agreesWithLlhttp();
    void cleanupTestCase();

private:
    QString m_root;
    int m_cases = 0;
    int m_llhttpAccepted = 0;
    int m_llhttpRefused = 0;
    int m_llhttpHandedOff = 0;
    int m_accepted = 0;
    int m_refused = 0;
    int m_handedOff = 0;
    int m_deliberate = 0;
    int m_refusedAtLineEnd = 0;
    int m_different = 0;
    int m_mismatches = 0;
    QSet<QString> m_allowListUsed;
};

void tst_LlhttpCorpus::initTestCase()
{
    const QString corpus = qEnvironmentVariable("GATEHOUSE_CORPUS");
    if (corpus.isEmpty())
        QSKIP("GATEHOUSE_CORPUS is not set (ctest sets it)");
    m_root = corpus + QStringLiteral("/http/llhttp-tests/test");
    QVERIFY2(QDir(m_root + QStringLiteral("/request")).exists(), qPrintable(m_root));
}

void tst_LlhttpCorpus::agreesWithLlhttp_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &dir : {QStringLiteral("request"), QStringLiteral("response")}) {
        const QStringList files = QDir(m_root + QLatin1Char('/') + dir)
                                      .entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name);
        for (const QString &f : files) {
            const QString rel = dir + QLatin1Char('/') + f;
            QTest::addRow("%s agrees with llhttp", qPrintable(rel)) << rel;
        }
    }
}

void tst_LlhttpCorpus::agreesWithLlhttp()
{
    QFETCH(QString, file);
    const QList<LlhttpCase> cases = readLlhttpCases(m_root + QLatin1Char('/') + file, file);
    QVERIFY2(!cases.isEmpty(), qPrintable(file));
    QStringList problems;
    for (const LlhttpCase &c : cases) {
        ++m_cases;
        ParseOptions options;
        options.requireHost = false;
        options.finishAtEnd = c.type.endsWith(QLatin1String("-finish"));
        if (c.skipBody && !c.isRequest())
            options.requestMethods = QList<HttpMethod>(8, HttpMethod::Head);
        const Http1Role role = c.isRequest() ? Http1Role::Request : Http1Role::Response;
        const ParseOutcome ours = parseAll(role, c.input, options);
        ParseOptions oneByte = options;
        oneByte.pieceSize = 1;
        const ParseOutcome slow = parseAll(role, c.input, oneByte);
        const QString where = QStringLiteral("%1:%2 \"%3\"").arg(file).arg(c.line).arg(c.name);
        if (slow.transcript() != ours.transcript())
            problems << where + QStringLiteral(": byte-at-a-time differs from all-at-once");

        // llhttp judges byte by byte, Http1Parser line by line: when the input stops inside a
        // head, the verdict is the one we reach once that head ends.
        std::optional<Http1Error> verdict = ours.error;
        const bool midHead = !ours.error && !ours.paused && !ours.idle
                             && (ours.messages.isEmpty() || ours.messages.last().complete);
        if (midHead && !options.finishAtEnd) {
            verdict = parseAll(role, c.input + "\r\n\r\n", options).error;
            if (verdict)
                ++m_refusedAtLineEnd;
        }

        const bool handOff = c.errorCode == 22 || c.errorCode == 23;
        const bool llhttpRefuses = (c.errorCode != 0 && !handOff) || c.finish == 2;
        (llhttpRefuses ? m_llhttpRefused : handOff ? m_llhttpHandedOff : m_llhttpAccepted)++;
        (verdict ? m_refused : ours.paused ? m_handedOff : m_accepted)++;
        const auto listed = deliberateRefusals().constFind(c.key());
        const bool isListed = listed != deliberateRefusals().cend();
        if (isListed)
            m_allowListUsed.insert(c.key());

        QString problem;
        if (llhttpRefuses) {
            if (!verdict)
                problem = QStringLiteral("accepted, llhttp refuses (%1)")
                              .arg(QString::fromUtf8(c.errorReason));
        } else if (handOff) {
            if (!verdict && !(ours.paused && ours.offset == c.errorOffset))
                problem = QStringLiteral("llhttp hands off at %1, we %2 at %3")
                              .arg(c.errorOffset)
                              .arg(ours.paused ? QStringLiteral("pause") : QStringLiteral("continue"))
                              .arg(ours.offset);
        } else if (verdict) {
            if (isListed)
                ++m_deliberate;
            else
                problem = QStringLiteral("refused (%1), llhttp accepts")
                              .arg(QString::fromLatin1(http1ErrorName(*verdict)));
        } else if (ours.paused) {
            problem = QStringLiteral("paused at %1, llhttp continues").arg(ours.offset);
        } else if (deliberateDifferences().contains(c.key())) {
            ++m_different;
        } else if (!options.finishAtEnd) {
            // -finish cases are about the verdict at EOF only; llhttp does not log their ending.
            problem = compareMessages(c, ours);
        }
        if (isListed && (!verdict || llhttpRefuses || handOff))
            problem = QStringLiteral("stale allow-list entry: %1").arg(QLatin1String(*listed));
        if (!problem.isEmpty()) {
            ++m_mismatches;
            problems << where + QStringLiteral(": ") + problem;
        }
    }
    for (const QString &p : problems)
        qWarning("%s", qPrintable(p));
    QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 unexpected result(s)").arg(problems.size())));
}

void tst_LlhttpCorpus::cleanupTestCase()
{
    if (m_cases == 0)
        return;
    qInfo("llhttp corpus: %d cases; llhttp accepts %d, refuses %d, hands off %d; Gatehouse accepts "
          "%d (%d read differently on purpose), refuses %d (%d deliberately, allow-listed; %d once "
          "the truncated head ends), hands off %d; mismatches %d",
          m_cases, m_llhttpAccepted, m_llhttpRefused, m_llhttpHandedOff, m_accepted, m_different,
          m_refused, m_deliberate, m_refusedAtLineEnd, m_handedOff, m_mismatches);
    for (auto it = deliberateRefusals().cbegin(); it != deliberateRefusals().cend(); ++it) {
        if (!m_allowListUsed.contains(it.key()))
            qWarning("allow-list entry matches no case: %s", qPrintable(it.key()));
    }
    QVERIFY(m_allowListUsed.size() == deliberateRefusals().size());
}

QTEST_GUILESS_MAIN(tst_LlhttpCorpus)
#include "tst_llhttpcorpus.moc"
