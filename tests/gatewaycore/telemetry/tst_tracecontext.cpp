// W3C Trace Context: traceparent rows from the specification's rules (versions, lengths, case,
// all-zero ids, hostile bytes), tracestate limits, id generation and the sampling decision.
#include "telemetry/tracecontext.h"

#include <QSet>
#include <QTest>
#include <QtEndian>

using namespace Gatehouse;

class tst_TraceContext : public QObject
{
    Q_OBJECT
private slots:
    void traceparent_data();
    void traceparent();
    void formatRoundTrips();
    void hexCoversEveryByteValue();
    void tracestate_data();
    void tracestate();
    void idsAreNeverZeroAndDoNotRepeat();
    void sampling_data();
    void sampling();
    void ratioSamplesAboutTheRatio();
    void continueOrStart_data();
    void continueOrStart();
};

namespace {
const QByteArray kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const QByteArray kParent = "00f067aa0ba902b7";
const QByteArray kValid = "00-" + kTrace + "-" + kParent + "-01";
} // namespace

void tst_TraceContext::traceparent_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("sampled");

    QTest::newRow("the specification's example is valid and sampled") << kValid << true << true;
    QTest::newRow("flags 00 is valid and not sampled") << QByteArray("00-" + kTrace + "-" + kParent + "-00") << true << false;
    QTest::newRow("unknown flag bits are ignored, sampled read from bit 0")
        << QByteArray("00-" + kTrace + "-" + kParent + "-03") << true << true;
    QTest::newRow("upper-case hex is invalid") << QByteArray("00-" + kTrace.toUpper() + "-" + kParent + "-01") << false << false;
    QTest::newRow("an all-zero trace id is invalid")
        << QByteArray("00-00000000000000000000000000000000-" + kParent + "-01") << false << false;
    QTest::newRow("an all-zero parent id is invalid") << QByteArray("00-" + kTrace + "-0000000000000000-01") << false << false;
    QTest::newRow("version ff is invalid") << QByteArray("ff-" + kTrace + "-" + kParent + "-01") << false << false;
    QTest::newRow("version 00 with more after the flags is invalid") << QByteArray(kValid + "-extra") << false << false;
    QTest::newRow("a later version with more fields after a dash is valid")
        << QByteArray("cc-" + kTrace + "-" + kParent + "-01-what-the-future-will-be-like") << true << true;
    QTest::newRow("a later version of exactly 55 characters is valid")
        << QByteArray("01-" + kTrace + "-" + kParent + "-00") << true << false;
    QTest::newRow("a later version with more fields but no dash is invalid")
        << QByteArray("cc-" + kTrace + "-" + kParent + "-01x") << false << false;
    QTest::newRow("a short trace id is invalid") << QByteArray("00-" + kTrace.chopped(1) + "-" + kParent + "-01") << false << false;
    QTest::newRow("a long parent id is invalid") << QByteArray("00-" + kTrace + "-" + kParent + "0-01") << false << false;
    QTest::newRow("a non-hex digit is invalid") << QByteArray("00-" + kTrace.chopped(1) + "g-" + kParent + "-01") << false << false;
    QTest::newRow("underscores for dashes are invalid") << QByteArray("00_" + kTrace + "_" + kParent + "_01") << false << false;
    QTest::newRow("an upper-case version is invalid") << QByteArray("0A-" + kTrace + "-" + kParent + "-01") << false << false;
    QTest::newRow("empty is invalid") << QByteArray() << false << false;
    QTest::newRow("a NUL inside is invalid") << QByteArray("00-" + kTrace.chopped(1) + QByteArray(1, '\0') + "-" + kParent + "-01") << false << false;
    QTest::newRow("two headers joined by a comma are invalid") << QByteArray(kValid + "," + kValid) << false << false;
    QTest::newRow("leading whitespace is invalid") << QByteArray(" " + kValid.chopped(1)) << false << false;
    QTest::newRow("a 10 KiB header is invalid") << QByteArray(10'240, 'a') << false << false;
    QTest::newRow("high bytes are invalid") << QByteArray("00-" + kTrace.chopped(2) + "\xc3\xa9-" + kParent + "-01") << false << false;
}

void tst_TraceContext::traceparent()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, valid);
    QFETCH(bool, sampled);
    const auto p = parseTraceparent(header);
    QCOMPARE(p.has_value(), valid);
    if (p) {
        QCOMPARE(p->sampled(), sampled);
        QCOMPARE(p->traceId.toHex(), kTrace);
        QCOMPARE(spanIdHex(p->parentId), kParent);
    }
}

void tst_TraceContext::formatRoundTrips()
{
    const auto p = parseTraceparent(kValid);
    QVERIFY(p);
    QCOMPARE(formatTraceparent(p->traceId, p->parentId, true), kValid);
    QCOMPARE(formatTraceparent(p->traceId, 0x1234, false), QByteArray("00-" + kTrace + "-0000000000001234-00"));
    QCOMPARE(spanIdHex(0xffffffffffffffffULL), QByteArray("ffffffffffffffff"));
}

void tst_TraceContext::hexCoversEveryByteValue()
{
    // Ids written in place (traceparent, OTLP JSON) against Qt's own hex, for all 256 byte values.
    for (int first = 0; first < 256; first += 16) {
        TraceId id;
        for (int i = 0; i < 16; ++i)
            id.bytes[size_t(i)] = quint8(first + i);
        const QByteArray raw(reinterpret_cast<const char *>(id.bytes.data()), 16);
        QCOMPARE(id.toHex(), raw.toHex());
        std::array<char, 33> out;
        out.fill('x');
        QVERIFY(writeHex(out.data(), id) == out.data() + 32);   // pointers: QCOMPARE would strcmp them
        QCOMPARE(QByteArray(out.data(), 33), raw.toHex() + 'x');   // nothing written past the end

        const SpanId span = qFromBigEndian<quint64>(id.bytes.data() + (first / 16 % 2) * 8);
        QCOMPARE(spanIdHex(span), raw.sliced((first / 16 % 2) * 8, 8).toHex());
        out.fill('x');
        QVERIFY(writeHex(out.data(), span) == out.data() + 16);
        QCOMPARE(QByteArray(out.data(), 17), spanIdHex(span) + 'x');
    }
    QCOMPARE(spanIdHex(1), QByteArray("0000000000000001"));
}

void tst_TraceContext::tracestate_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<bool>("valid");

    QByteArray thirtyTwo, thirtyThree;
    for (int i = 0; i < 33; ++i) {
        QByteArray &list = i < 32 ? thirtyTwo : thirtyThree;
        if (i == 32)
            thirtyThree = thirtyTwo;
        if (!list.isEmpty())
            list += ',';
        list += "k" + QByteArray::number(i) + "=v";
    }
    QTest::newRow("one member") << QByteArray("congo=t61rcWkgMzE") << true;
    QTest::newRow("two members with optional whitespace") << QByteArray("rojo=00f067aa0ba902b7 ,\tcongo=t61rcWkgMzE") << true;
    QTest::newRow("a multi-tenant key") << QByteArray("fw529a3039@dt=abc") << true;
    QTest::newRow("a tenant starting with a digit") << QByteArray("1tenant@sys=v") << true;
    QTest::newRow("empty members are ignored") << QByteArray("a=1,,  ,b=2") << true;
    QTest::newRow("a value with inner spaces") << QByteArray("a=x y") << true;
    QTest::newRow("32 members are allowed") << thirtyTwo << true;
    QTest::newRow("33 members are too many") << thirtyThree << false;
    QTest::newRow("a key twice is invalid") << QByteArray("a=1,b=2,a=3") << false;
    QTest::newRow("an upper-case key is invalid") << QByteArray("Rojo=1") << false;
    QTest::newRow("a key starting with a digit is invalid") << QByteArray("1abc=1") << false;
    QTest::newRow("a system id of 15 characters is invalid") << QByteArray("t@abcdefghijklmno=1") << false;
    QTest::newRow("a missing value is invalid") << QByteArray("a=") << false;
    QTest::newRow("spaces before a comma are optional whitespace, not value") << QByteArray("a=x  ,b=1") << true;
    QTest::newRow("an equals sign in a value is invalid") << QByteArray("a=b=c") << false;
    QTest::newRow("a member without equals is invalid") << QByteArray("abc") << false;
    QTest::newRow("a control byte in a value is invalid") << QByteArray("a=x\x01y") << false;
    QTest::newRow("a high byte in a value is invalid") << QByteArray("a=caf\xc3\xa9") << false;
    QTest::newRow("a value of 256 characters is valid") << QByteArray("a=" + QByteArray(256, 'v')) << true;
    QTest::newRow("a value of 257 characters is invalid") << QByteArray("a=" + QByteArray(257, 'v')) << false;
    QTest::newRow("more than 512 bytes is dropped") << QByteArray("a=" + QByteArray(256, 'v') + ",b=" + QByteArray(256, 'w')) << false;
}

void tst_TraceContext::tracestate()
{
    QFETCH(QByteArray, header);
    QFETCH(bool, valid);
    QCOMPARE(isValidTracestate(header), valid);
}

void tst_TraceContext::idsAreNeverZeroAndDoNotRepeat()
{
    TraceIdGenerator ids;
    QSet<QByteArray> seen;
    for (int i = 0; i < 10'000; ++i) {
        const TraceId t = ids.newTraceId();
        QVERIFY(t.isValid());
        const QByteArray hex = t.toHex();
        QCOMPARE(hex.size(), 32);
        QVERIFY(!seen.contains(hex));
        seen.insert(hex);
        QVERIFY(ids.newSpanId() != 0);
    }
    // Two generators seeded alike agree; differently seeded ones do not.
    TraceIdGenerator a(42), b(42), c(43);
    QCOMPARE(a.newTraceId(), b.newTraceId());
    QVERIFY(!(a.newTraceId() == c.newTraceId()));
}

void tst_TraceContext::sampling_data()
{
    QTest::addColumn<QByteArray>("traceparent");
    QTest::addColumn<double>("ratio");
    QTest::addColumn<bool>("sampled");

    QTest::newRow("a sampled parent is followed at ratio 0") << QByteArray(kValid) << 0.0 << true;
    QTest::newRow("an unsampled parent is followed at ratio 1") << QByteArray("00-" + kTrace + "-" + kParent + "-00") << 1.0 << false;
    QTest::newRow("without a parent ratio 1 samples") << QByteArray() << 1.0 << true;
    QTest::newRow("without a parent ratio 0 does not") << QByteArray() << 0.0 << false;
    QTest::newRow("a ratio above 1 samples") << QByteArray() << 7.0 << true;
    QTest::newRow("a negative ratio does not") << QByteArray() << -1.0 << false;
}

void tst_TraceContext::sampling()
{
    QFETCH(QByteArray, traceparent);
    QFETCH(double, ratio);
    QFETCH(bool, sampled);
    TraceIdGenerator ids(7);
    const auto parent = parseTraceparent(traceparent);
    QCOMPARE(sampleTrace(parent, ids.newTraceId(), ratio), sampled);
}

void tst_TraceContext::ratioSamplesAboutTheRatio()
{
    TraceIdGenerator ids(1);
    int sampled = 0;
    constexpr int kTraces = 100'000;
    for (int i = 0; i < kTraces; ++i)
        sampled += sampleTrace(std::nullopt, ids.newTraceId(), 0.25) ? 1 : 0;
    // 0.25 of 100,000 with a standard deviation of ~137: far outside 5 sigma would be a bug.
    QVERIFY2(qAbs(sampled - kTraces / 4) < 1000, qPrintable(QString::number(sampled)));
    // The decision depends only on the trace id: every replica decides alike.
    const TraceId t = ids.newTraceId();
    QCOMPARE(sampleTrace(std::nullopt, t, 0.5), sampleTrace(std::nullopt, t, 0.5));
}

void tst_TraceContext::continueOrStart_data()
{
    QTest::addColumn<QByteArray>("traceparent");
    QTest::addColumn<QByteArray>("tracestate");
    QTest::addColumn<bool>("continued");
    QTest::addColumn<bool>("malformed");
    QTest::addColumn<QByteArray>("keptState");

    QTest::newRow("a valid parent is continued with its tracestate")
        << kValid << QByteArray("congo=t61rcWkgMzE") << true << false << QByteArray("congo=t61rcWkgMzE");
    QTest::newRow("an invalid tracestate of a valid parent is dropped")
        << kValid << QByteArray("Bad=1") << true << false << QByteArray();
    QTest::newRow("a malformed parent is replaced and its tracestate dropped")
        << QByteArray("00-xyz") << QByteArray("congo=1") << false << true << QByteArray();
    QTest::newRow("no parent starts a trace and ignores a tracestate")
        << QByteArray() << QByteArray("congo=1") << false << false << QByteArray();
}

void tst_TraceContext::continueOrStart()
{
    QFETCH(QByteArray, traceparent);
    QFETCH(QByteArray, tracestate);
    QFETCH(bool, continued);
    QFETCH(bool, malformed);
    QFETCH(QByteArray, keptState);
    TraceIdGenerator ids(3);
    const IncomingTrace t = continueOrStartTrace(traceparent, tracestate, 1.0, ids);
    QCOMPARE(t.continued, continued);
    QCOMPARE(t.malformed, malformed);
    QCOMPARE(t.tracestate, keptState);
    QVERIFY(t.traceId.isValid());
    if (continued)
        QCOMPARE(t.traceId.toHex(), kTrace);
    else
        QVERIFY(t.traceId.toHex() != kTrace);
}

QTEST_APPLESS_MAIN(tst_TraceContext)
#include "tst_tracecontext.moc"
