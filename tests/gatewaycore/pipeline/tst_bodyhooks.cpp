// Body hooks (Filter::onRequestBody/onResponseBody): the limit a chain buffers is the smallest one
// its filters declare (0 = stream), hooks run only for filters that ran and read bodies (request
// in chain order, response last first), a replaced body is what follows, Respond stops the walk,
// and a hook that tries to suspend is answered instead of hanging.
#include "pipeline/filterchain.h"
#include "pipeline/requestcontext.h"

#include <QTest>

using namespace Gatehouse;

namespace {

class BodyFilter final : public Filter
{
public:
    BodyFilter(QStringList &journal, QString name, qint64 requestLimit, qint64 responseLimit,
               FilterStatus onRequestStatus = FilterStatus::Continue, FilterStatus bodyStatus = FilterStatus::Continue)
        : m_journal(journal), m_name(std::move(name)), m_requestLimit(requestLimit), m_responseLimit(responseLimit),
          m_onRequest(onRequestStatus), m_body(bodyStatus)
    {}
    Phase phase() const override { return Phase::Interceptor; }
    QLatin1StringView name() const override { return QLatin1StringView("body"); }
    FilterStatus onRequest(RequestContext &ctx) const override
    {
        if (m_onRequest == FilterStatus::Respond)
            ctx.respond(403, GatewayErrorCode::ApiForbidden, QStringLiteral("no"), m_name);
        return m_onRequest;
    }
    qint64 requestBodyLimit() const override { return m_requestLimit; }
    qint64 responseBodyLimit() const override { return m_responseLimit; }
    FilterStatus onRequestBody(RequestContext &ctx, QByteArray &body) const override
    {
        m_journal.append(m_name + QStringLiteral(".request:") + QString::fromUtf8(body));
        body += m_name.toUtf8();
        if (m_body == FilterStatus::Respond)
            ctx.respond(422, GatewayErrorCode::ValidationFailed, QStringLiteral("bad"), m_name);
        return m_body;
    }
    FilterStatus onResponseBody(RequestContext &ctx, int status, QByteArray &body) const override
    {
        m_journal.append(m_name + QStringLiteral(".response%1:").arg(status) + QString::fromUtf8(body)
                         + (ctx.upstreamResponseHeaders ? QStringLiteral(" (head)") : QString()));
        body += m_name.toUtf8();
        if (m_body == FilterStatus::Respond)
            ctx.respond(502, GatewayErrorCode::UpstreamError, QStringLiteral("bad"), m_name);
        return m_body;
    }

private:
    QStringList &m_journal;
    QString m_name;
    qint64 m_requestLimit;
    qint64 m_responseLimit;
    FilterStatus m_onRequest;
    FilterStatus m_body;
};

using Filters = std::vector<std::shared_ptr<const Filter>>;

} // namespace

class tst_BodyHooks : public QObject
{
    Q_OBJECT
private slots:
    void limits_data();
    void limits();
    void hooksRunInOrderAndReplaceTheBody();
    void respondStopsTheWalk();
    void onlyFiltersThatRanAreAsked();
    void suspendingInABodyHookIsAnswered();
};

void tst_BodyHooks::limits_data()
{
    QTest::addColumn<QList<qint64>>("requestLimits");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("no filter reads bodies: stream") << QList<qint64>{0, 0} << qint64(0);
    QTest::newRow("one filter reads: its limit") << QList<qint64>{0, 4096} << qint64(4096);
    QTest::newRow("several: the smallest") << QList<qint64>{8192, 0, 1024, 4096} << qint64(1024);
}

void tst_BodyHooks::limits()
{
    QFETCH(QList<qint64>, requestLimits);
    QFETCH(qint64, expected);
    QStringList journal;
    Filters filters;
    for (qint64 limit : requestLimits)
        filters.push_back(std::make_shared<BodyFilter>(journal, QStringLiteral("f"), limit, limit * 2));
    const FilterChain chain(filters);
    QCOMPARE(chain.requestBodyLimit(), expected);
    QCOMPARE(chain.responseBodyLimit(), expected * 2);
}

void tst_BodyHooks::hooksRunInOrderAndReplaceTheBody()
{
    QStringList journal;
    const FilterChain chain({std::make_shared<BodyFilter>(journal, QStringLiteral("a"), 100, 100),
                             std::make_shared<BodyFilter>(journal, QStringLiteral("quiet"), 0, 0),
                             std::make_shared<BodyFilter>(journal, QStringLiteral("b"), 100, 100)});
    RequestContext ctx;
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
    QByteArray body = "x";
    QCOMPARE(run.requestBody(ctx, body), FilterStatus::Continue);
    QCOMPARE(body, QByteArray("xab"));
    Http1FieldList fields;
    fields.append("content-type", "text/plain");
    QByteArray response = "y";
    QCOMPARE(run.responseBody(ctx, 200, fields, response), FilterStatus::Continue);
    QCOMPARE(response, QByteArray("yba"));
    QVERIFY(!ctx.upstreamResponseHeaders);   // readable only during the hooks
    QCOMPARE(journal, QStringList({QStringLiteral("a.request:x"), QStringLiteral("b.request:xa"),
                                   QStringLiteral("b.response200:y (head)"), QStringLiteral("a.response200:yb (head)")}));
    run.complete(ctx);
}

void tst_BodyHooks::respondStopsTheWalk()
{
    QStringList journal;
    const FilterChain chain({std::make_shared<BodyFilter>(journal, QStringLiteral("a"), 10, 10, FilterStatus::Continue,
                                                          FilterStatus::Respond),
                             std::make_shared<BodyFilter>(journal, QStringLiteral("b"), 10, 10)});
    RequestContext ctx;
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
    QByteArray body;
    QCOMPARE(run.requestBody(ctx, body), FilterStatus::Respond);
    QCOMPARE(ctx.error.status, 422);
    QCOMPARE(journal, QStringList({QStringLiteral("a.request:")}));
    run.complete(ctx);
}

void tst_BodyHooks::onlyFiltersThatRanAreAsked()
{
    QStringList journal;
    const FilterChain chain({std::make_shared<BodyFilter>(journal, QStringLiteral("a"), 10, 10, FilterStatus::Respond),
                             std::make_shared<BodyFilter>(journal, QStringLiteral("b"), 10, 10)});
    RequestContext ctx;
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Respond);
    QByteArray body = "z";
    Http1FieldList fields;
    QCOMPARE(run.responseBody(ctx, 200, fields, body), FilterStatus::Continue);
    QCOMPARE(journal, QStringList({QStringLiteral("a.response200:z (head)")}));
    run.complete(ctx);
    // After complete() nothing is asked any more.
    QCOMPARE(run.requestBody(ctx, body), FilterStatus::Continue);
    QCOMPARE(journal.size(), 1);
}

void tst_BodyHooks::suspendingInABodyHookIsAnswered()
{
    QStringList journal;
    const FilterChain chain({std::make_shared<BodyFilter>(journal, QStringLiteral("a"), 10, 10, FilterStatus::Continue,
                                                          FilterStatus::Suspend)});
    RequestContext ctx;
    FilterChainRun run;
    QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
    QByteArray body;
    QCOMPARE(run.requestBody(ctx, body), FilterStatus::Respond);
    QCOMPARE(ctx.error.status, 500);
    Http1FieldList fields;
    QCOMPARE(run.responseBody(ctx, 200, fields, body), FilterStatus::Respond);
    QCOMPARE(ctx.error.status, 502);
    run.complete(ctx);
}

QTEST_GUILESS_MAIN(tst_BodyHooks)
#include "tst_bodyhooks.moc"
