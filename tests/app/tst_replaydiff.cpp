// The pieces of Replay's comparison: line differences, bodies as text (JSON pretty-printed),
// header lines without the fields that change on every request, the fields a replay resends and
// the requests it refuses.
#include "tracereplay.h"

#include <QTest>

using namespace Gatehouse;

Q_DECLARE_METATYPE(QList<DiffLine>)

namespace {

QStringList sl(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *i : items)
        out.append(QString::fromUtf8(i));
    return out;
}

QString render(const QList<DiffLine> &lines)
{
    QStringList out;
    for (const DiffLine &l : lines)
        out.append((l.kind == DiffLine::Kind::Same ? u' ' : l.kind == DiffLine::Kind::Removed ? u'-' : u'+') + l.text);
    return out.join(u'|');
}

} // namespace

class tst_ReplayDiff : public QObject
{
    Q_OBJECT
private slots:
    void linesDiffer_data();
    void linesDiffer();
    void bodiesReadAsText_data();
    void bodiesReadAsText();
    void volatileHeadersAreLeftOut();
    void hopByHopFieldsAreNotResent();
    void refusals_data();
    void refusals();
};

void tst_ReplayDiff::linesDiffer_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<QString>("diff");

    QTest::newRow("equal lines are all the same") << sl({"a", "b"}) << sl({"a", "b"}) << QStringLiteral(" a| b");
    QTest::newRow("a changed line is removed then added")
        << sl({"a", "b", "c"}) << sl({"a", "x", "c"}) << QStringLiteral(" a|-b|+x| c");
    QTest::newRow("an added line at the end") << sl({"a"}) << sl({"a", "b"}) << QStringLiteral(" a|+b");
    QTest::newRow("everything replaced") << sl({"a"}) << sl({"b"}) << QStringLiteral("-a|+b");
    QTest::newRow("both empty") << QStringList() << QStringList() << QString();
}

void tst_ReplayDiff::linesDiffer()
{
    QFETCH(QStringList, before);
    QFETCH(QStringList, after);
    QFETCH(QString, diff);
    QCOMPARE(render(ReplayDiff::lines(before, after)), diff);
}

void tst_ReplayDiff::bodiesReadAsText_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("text");

    QTest::newRow("JSON is pretty-printed whatever its content type")
        << QByteArray(R"({"a":1,"b":[true]})") << QByteArray("text/plain")
        << QStringLiteral("{\n    \"a\": 1,\n    \"b\": [\n        true\n    ]\n}");
    QTest::newRow("text stays as it is") << QByteArray("hello\nworld") << QByteArray("text/plain")
                                         << QStringLiteral("hello\nworld");
    QTest::newRow("binary is summarised") << QByteArray("\x00\x01\x02", 3) << QByteArray("application/octet-stream")
                                          << QStringLiteral("(3 bytes of binary data)");
    QTest::newRow("an empty body is empty") << QByteArray() << QByteArray("application/json") << QString();
}

void tst_ReplayDiff::bodiesReadAsText()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, text);
    QCOMPARE(ReplayDiff::bodyText(body, contentType), text);
}

void tst_ReplayDiff::volatileHeadersAreLeftOut()
{
    const QList<TraceHeaderField> fields{{"Date", "Fri, 27 Nov 2026 03:00:00 GMT"},
                                         {"Content-Type", "application/json"},
                                         {"Server-Timing", "total;dur=1"},
                                         {"ETag", "\"1\""}};
    QCOMPARE(ReplayDiff::headerLines(fields), (sl({"content-type: application/json", "etag: \"1\""})));
}

void tst_ReplayDiff::hopByHopFieldsAreNotResent()
{
    TraceRecord r;
    r.capture.present = true;
    r.capture.requestHeaders = {{"Host", "127.0.0.1:9090"},      {"Connection", "keep-alive, X-Hop"},
                                {"X-Hop", "1"},                  {"Transfer-Encoding", "chunked"},
                                {"Content-Length", "12"},        {"traceparent", "00-ab-cd-01"},
                                {"Authorization", "Bearer t0k"}, {"Content-Type", "application/json"}};
    QStringList names;
    for (const TraceHeaderField &f : TraceReplayer::resentFields(r))
        names.append(QString::fromUtf8(f.name + ": " + f.value));
    QCOMPARE(names, (sl({"Authorization: Bearer t0k", "Content-Type: application/json"})));
}

void tst_ReplayDiff::refusals_data()
{
    QTest::addColumn<bool>("present");
    QTest::addColumn<qint64>("kept");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<bool>("complete");
    QTest::addColumn<QString>("refusal");   // the start of the sentence; empty = replayable

    QTest::newRow("a whole captured body is replayable") << true << qint64(5) << qint64(5) << true << QString();
    QTest::newRow("a request without a body is replayable") << true << qint64(0) << qint64(0) << true << QString();
    QTest::newRow("a truncated body is refused")
        << true << qint64(4) << qint64(10) << true << QStringLiteral("The request body was truncated when captured (4 of 10 bytes kept");
    QTest::newRow("a body that never ended is refused")
        << true << qint64(3) << qint64(3) << false << QStringLiteral("The request body did not arrive whole");
    QTest::newRow("a record without capture is refused")
        << false << qint64(0) << qint64(0) << true << QStringLiteral("This request was recorded without its capture");
}

void tst_ReplayDiff::refusals()
{
    QFETCH(bool, present);
    QFETCH(qint64, kept);
    QFETCH(qint64, total);
    QFETCH(bool, complete);
    QFETCH(QString, refusal);
    TraceRecord r;
    r.capture.present = present;
    r.capture.requestBody.bytes = QByteArray(kept, 'x');
    r.capture.requestBody.totalBytes = total;
    r.capture.requestBody.complete = complete;
    const QString got = TraceReplayer::refusal(r);
    if (refusal.isEmpty())
        QVERIFY2(got.isEmpty(), qPrintable(got));
    else
        QVERIFY2(got.startsWith(refusal), qPrintable(got));
}

QTEST_MAIN(tst_ReplayDiff)
#include "tst_replaydiff.moc"
