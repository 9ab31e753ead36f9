// The request's trace: spans only when sampled, the traceparent sent upstream, records built from
// it (offsets, open spans, redacted headers), the filter chain's spans (also across a suspension),
// the per-worker ring (drops counted, order kept) and Server-Timing values.
#include "http/http1head.h"
#include "pipeline/filterchain.h"
#include "pipeline/requestcontext.h"
#include "telemetry/requesttrace.h"
#include "telemetry/tracering.h"

#include <QTest>

using namespace Gatehouse;

namespace {

const QByteArray kParentHeader = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

class StepFilter final : public Filter
{
public:
    StepFilter(Phase phase, QLatin1StringView name, FilterStatus status) : m_phase(phase), m_name(name), m_status(status) {}
    Phase phase() const override { return m_phase; }
    QLatin1StringView name() const override { return m_name; }
    FilterStatus onRequest(RequestContext &ctx) const override
    {
        if (m_status == FilterStatus::Suspend)
            ctx.suspend();
        if (m_status == FilterStatus::Respond)
            ctx.respond(403, GatewayErrorCode::BadRequest, QStringLiteral("no"), QString());
        return m_status;
    }

private:
    Phase m_phase;
    QLatin1StringView m_name;
    FilterStatus m_status;
};

class NullHost final : public FilterChainHost
{
public:
    void resumeFilterChain(bool, FilterStatus) override {}
};

} // namespace

class tst_RequestTrace : public QObject
{
    Q_OBJECT
private slots:
    void unsampledRecordsNoSpans();
    void sampledWithoutReaderRecordsNoSpans();
    void disabledHasNoContext();
    void upstreamTraceparentContinuesTheTrace();
    void recordHasOffsetsAndClosesOpenSpans();
    void spanLimitIsKept();
    void redaction_data();
    void redaction();
    void filterChainRecordsOneSpanPerFilter();
    void suspendedFilterSpanCoversTheWait();
    void ringDropsWhenFullAndKeepsOrder();
    void ringOfCapacityZeroIsOff();
    void serverTiming();
};

void tst_RequestTrace::unsampledRecordsNoSpans()
{
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(true, 0.0, {}, {}, ids, 1000, 5000);
    QVERIFY(t.isActive());
    QVERIFY(!t.isSampled());
    QCOMPARE(t.addSpan(TraceSpanKind::Filter, Phase::Authn, QLatin1StringView("authentication"), 1000, 2000), -1);
    QCOMPARE(t.spanCount(), 0);
    QVERIFY(t.upstreamTraceparent().endsWith("-00"));
}

void tst_RequestTrace::sampledWithoutReaderRecordsNoSpans()
{
    // Nothing reads records: the sampling decision still travels upstream, no span is kept.
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(true, 1.0, {}, {}, ids, 1000, 0, false);
    QVERIFY(t.isSampled());
    QVERIFY(!t.isRecording());
    QCOMPARE(t.addSpan(TraceSpanKind::Filter, Phase::Authn, QLatin1StringView("authentication"), 1000, 2000), -1);
    QCOMPARE(t.spanCount(), 0);
    QVERIFY(t.upstreamTraceparent().endsWith("-01"));
    QCOMPARE(t.upstreamTraceparent().sliced(36, 16), spanIdHex(t.spanId()));

    t.begin(true, 0.0, kParentHeader, {}, ids, 1000, 0, false);   // the caller's flag wins
    QVERIFY(t.isSampled());
    QVERIFY(!t.isRecording());
    QVERIFY(t.upstreamTraceparent().startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));

    t.begin(true, 1.0, {}, {}, ids, 1000, 5000, true);   // a reader attached: spans again
    QVERIFY(t.isRecording());
    QCOMPARE(t.addSpan(TraceSpanKind::Filter, Phase::Authn, QLatin1StringView("authentication"), 1000, 2000), 0);
}

void tst_RequestTrace::disabledHasNoContext()
{
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(false, 1.0, kParentHeader, {}, ids, 1000, 5000);
    QVERIFY(!t.isActive());
    QVERIFY(!t.isSampled());
    QVERIFY(t.upstreamTraceparent().isEmpty());
}

void tst_RequestTrace::upstreamTraceparentContinuesTheTrace()
{
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(true, 0.0, kParentHeader, "congo=1", ids, 1000, 5000);
    QVERIFY(t.isSampled());   // the caller's decision, whatever the ratio
    const QByteArray up = t.upstreamTraceparent();
    QVERIFY(up.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
    QCOMPARE(up.sliced(36, 16), spanIdHex(t.spanId()));   // the gateway's span is the parent
    QVERIFY(up.endsWith("-01"));
    QCOMPARE(t.upstreamTraceparent(0xabc).sliced(36, 16), QByteArray("0000000000000abc"));
    QCOMPARE(t.incoming().tracestate, QByteArray("congo=1"));

    t.begin(true, 1.0, "00-garbage", "congo=1", ids, 1000, 5000);
    QVERIFY(t.incoming().malformed);
    QVERIFY(!t.upstreamTraceparent().contains("4bf92f35"));
    QVERIFY(t.incoming().tracestate.isEmpty());
}

void tst_RequestTrace::recordHasOffsetsAndClosesOpenSpans()
{
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(true, 1.0, {}, {}, ids, 1'000, 1'790'000'000'000'000'000);
    const int authn = t.addSpan(TraceSpanKind::Filter, Phase::Authn, QLatin1StringView("authentication"), 1'100, 1'400);
    const int upstream = t.openSpan(TraceSpanKind::Upstream, Phase::Upstream, QLatin1StringView("upstream"), 2'000);
    const int connect = t.addSpan(TraceSpanKind::UpstreamConnect, Phase::Upstream, QLatin1StringView("upstream.connect"),
                                  2'000, 2'500, upstream, true);
    TraceRecord r;
    r.spans.resize(10);   // a reused slot's leftovers are overwritten
    t.fillRecord(r, 9'000);
    QCOMPARE(r.spans.size(), 3);
    QCOMPARE(r.durationNs, 8'000);
    QCOMPARE(r.startUnixNs, 1'790'000'000'000'000'000);
    QCOMPARE(r.spans[authn].name, QByteArray("authentication"));
    QCOMPARE(r.spans[authn].startOffsetNs, 100);
    QCOMPARE(r.spans[authn].durationNs, 300);
    QCOMPARE(r.spans[upstream].durationNs, 7'000);   // never closed: ends with the exchange
    QCOMPARE(r.spans[connect].parent, upstream);
    QVERIFY(r.spans[connect].error);
    QVERIFY(r.spans[authn].spanId != r.spans[upstream].spanId);
    QCOMPARE(r.spanId, t.spanId());
    QCOMPARE(r.parentSpanId, SpanId(0));
}

void tst_RequestTrace::spanLimitIsKept()
{
    TraceIdGenerator ids(1);
    RequestTrace t;
    t.begin(true, 1.0, {}, {}, ids, 0, 0);
    for (int i = 0; i < RequestTrace::kMaxSpans + 10; ++i)
        t.addSpan(TraceSpanKind::Filter, Phase::Interceptor, QLatin1StringView("lua"), i, i + 1);
    QCOMPARE(t.spanCount(), RequestTrace::kMaxSpans);
}

void tst_RequestTrace::redaction_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("secret");
    QTest::newRow("Authorization is redacted") << QByteArray("Authorization") << true;
    QTest::newRow("Proxy-Authorization is redacted") << QByteArray("proxy-authorization") << true;
    QTest::newRow("Cookie is redacted") << QByteArray("Cookie") << true;
    QTest::newRow("Set-Cookie is redacted") << QByteArray("set-cookie") << true;
    QTest::newRow("X-API-Key is redacted") << QByteArray("X-API-Key") << true;
    QTest::newRow("apikey is redacted") << QByteArray("apikey") << true;
    QTest::newRow("api_key is redacted") << QByteArray("API_KEY") << true;
    QTest::newRow("a token header is redacted") << QByteArray("X-Auth-Token") << true;
    QTest::newRow("a client secret header is redacted") << QByteArray("x-client-secret") << true;
    QTest::newRow("Accept stays") << QByteArray("Accept") << false;
    QTest::newRow("User-Agent stays") << QByteArray("user-agent") << false;
    QTest::newRow("traceparent stays") << QByteArray("traceparent") << false;
    QTest::newRow("a name of 200 bytes is redacted whole") << QByteArray(200, 'x') << true;
    QTest::newRow("mixed case is found") << QByteArray("X-SeSsIoN-Id") << true;
    QTest::newRow("a password header is redacted") << QByteArray("X-Password") << true;
    QTest::newRow("a signature header is redacted") << QByteArray("x-amz-signature") << true;
    QTest::newRow("a part at the very end is found") << QByteArray("x-csrf-token") << true;
    QTest::newRow("a cut-off part stays") << QByteArray("x-api-ke") << false;
    QTest::newRow("Content-Type stays") << QByteArray("Content-Type") << false;
    QTest::newRow("an empty name stays") << QByteArray() << false;
}

void tst_RequestTrace::redaction()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, secret);
    QCOMPARE(isSecretHeader(name), secret);
    Http1FieldList fields;
    fields.append(name, "v4lue");
    fields.append("Host", "example.com");
    QList<TraceHeaderField> out{{"old", "old"}, {"old", "old"}, {"old", "old"}};
    setRedactedFields(fields, out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].name, name);
    QCOMPARE(out[0].value, secret ? QByteArray("REDACTED") : QByteArray("v4lue"));
    QCOMPARE(out[1].value, QByteArray("example.com"));
}

void tst_RequestTrace::filterChainRecordsOneSpanPerFilter()
{
    FilterChain chain({std::make_shared<StepFilter>(Phase::Authn, QLatin1StringView("authentication"), FilterStatus::Continue),
                       std::make_shared<StepFilter>(Phase::RateLimit, QLatin1StringView("ratelimit"), FilterStatus::Respond),
                       std::make_shared<StepFilter>(Phase::Interceptor, QLatin1StringView("lua"), FilterStatus::Continue)});
    TraceIdGenerator ids(1);
    RequestContext ctx;
    ctx.trace.begin(true, 1.0, {}, {}, ids, 1, 1);
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Respond);
    QCOMPARE(ctx.trace.spanCount(), 2);   // the third never ran
    QCOMPARE(ctx.trace.span(0).name, QLatin1StringView("authentication"));
    QCOMPARE(ctx.trace.span(0).phase, Phase::Authn);
    QVERIFY(!ctx.trace.span(0).error);
    QCOMPARE(ctx.trace.span(1).name, QLatin1StringView("ratelimit"));
    QVERIFY(ctx.trace.span(1).error);
    QVERIFY(ctx.trace.span(1).endNs >= ctx.trace.span(1).startNs);
    run.complete(ctx);

    // Unsampled: the same chain records nothing.
    ctx.reset();
    ctx.trace.begin(true, 0.0, {}, {}, ids, 1, 1);
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Respond);
    QCOMPARE(ctx.trace.spanCount(), 0);
    run.complete(ctx);
}

void tst_RequestTrace::suspendedFilterSpanCoversTheWait()
{
    FilterChain chain({std::make_shared<StepFilter>(Phase::Authn, QLatin1StringView("authentication"), FilterStatus::Suspend),
                       std::make_shared<StepFilter>(Phase::Authz, QLatin1StringView("scopes"), FilterStatus::Continue)});
    TraceIdGenerator ids(1);
    NullHost host;
    RequestContext ctx;
    ctx.host = &host;
    ctx.trace.begin(true, 1.0, {}, {}, ids, 1, 1);
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Suspend);
    QCOMPARE(ctx.trace.spanCount(), 1);
    QCOMPARE(ctx.trace.span(0).endNs, 0);   // open while waiting
    QTest::qSleep(2);
    QCOMPARE(run.resume(ctx, false, FilterStatus::Continue), FilterStatus::Continue);
    QCOMPARE(ctx.trace.spanCount(), 2);
    QVERIFY(ctx.trace.span(0).endNs - ctx.trace.span(0).startNs >= 2'000'000);
    QCOMPARE(ctx.trace.span(1).name, QLatin1StringView("scopes"));
    run.complete(ctx);
}

void tst_RequestTrace::ringDropsWhenFullAndKeepsOrder()
{
    TraceRing ring(3);
    for (int i = 0; i < 5; ++i) {
        if (TraceRecord *r = ring.slot()) {
            r->status = 200 + i;
            ring.push();
        }
    }
    QCOMPARE(ring.dropped(), quint64(2));
    QList<TraceRecord> out;
    QCOMPARE(ring.drainInto(out), 3);
    QCOMPARE(out.size(), 3);
    QCOMPARE(out[0].status, 200);
    QCOMPARE(out[2].status, 202);
    // Room again after the drain, and the order continues.
    TraceRecord *r = ring.slot();
    QVERIFY(r);
    r->status = 299;
    ring.push();
    out.clear();
    QCOMPARE(ring.drainInto(out), 1);
    QCOMPARE(out[0].status, 299);
}

void tst_RequestTrace::ringOfCapacityZeroIsOff()
{
    TraceRing ring(0);
    QVERIFY(!ring.isEnabled());
    QVERIFY(!ring.slot());
    QCOMPARE(ring.dropped(), quint64(0));
}

void tst_RequestTrace::serverTiming()
{
    std::array<qint64, kPhaseCount> phases{};
    phases[size_t(Phase::Authn)] = 412'345;
    phases[size_t(Phase::Upstream)] = 3'100'000;
    QCOMPARE(serverTimingValue(phases, 3'600'400), QByteArray("authn;dur=0.412, upstream;dur=3.100, total;dur=3.600"));
    QCOMPARE(serverTimingValue({}, 1'234'567'890), QByteArray("total;dur=1234.568"));
}

QTEST_APPLESS_MAIN(tst_RequestTrace)
#include "tst_requesttrace.moc"
