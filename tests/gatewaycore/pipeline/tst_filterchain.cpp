// FilterChainRun: order, Respond stops the chain, Suspend/resume/rerun, onComplete once per filter
// that ran, cancelled resume handles, and phase time accounting.
#include "pipeline/filterchain.h"
#include "pipeline/requestcontext.h"

#include <QTest>

using namespace Gatehouse;

namespace {

struct Journal
{
    QStringList events;
};

class ScriptedFilter final : public Filter
{
public:
    ScriptedFilter(Journal &journal, QString name, QList<FilterStatus> answers, Phase phase = Phase::Authn)
        : m_journal(journal), m_name(std::move(name)), m_answers(std::move(answers)), m_phase(phase)
    {
    }
    Phase phase() const override { return m_phase; }
    QLatin1StringView name() const override { return QLatin1StringView("scripted"); }
    FilterStatus onRequest(RequestContext &ctx) const override
    {
        m_journal.events.append(m_name);
        const FilterStatus s = m_answers.isEmpty() ? FilterStatus::Continue : m_answers.takeFirst();
        if (s == FilterStatus::Suspend)
            handle = ctx.suspend();
        if (s == FilterStatus::Respond)
            ctx.respond(418, GatewayErrorCode::BadRequest, QStringLiteral("teapot"), m_name);
        return s;
    }
    void onComplete(RequestContext &) const override { m_journal.events.append(m_name + QStringLiteral(".done")); }
    void onResponseHead(RequestContext &, int status) const override
    {
        m_journal.events.append(m_name + QStringLiteral(".response") + QString::number(status));
    }
    mutable std::shared_ptr<ResumeHandle> handle;

private:
    Journal &m_journal;
    QString m_name;
    mutable QList<FilterStatus> m_answers;
    Phase m_phase;
};

class Host final : public FilterChainHost
{
public:
    void resumeFilterChain(bool rerun, FilterStatus status) override
    {
        last = run->resume(*ctx, rerun, status);
        ++resumes;
    }
    FilterChainRun *run = nullptr;
    RequestContext *ctx = nullptr;
    FilterStatus last = FilterStatus::Suspend;
    int resumes = 0;
};

} // namespace

class tst_FilterChain : public QObject
{
    Q_OBJECT
private slots:
    void continuesThroughEveryFilter()
    {
        Journal j;
        FilterChain chain({std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{}),
                           std::make_shared<ScriptedFilter>(j, QStringLiteral("b"), QList<FilterStatus>{})});
        RequestContext ctx;
        FilterChainRun run;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
        run.complete(ctx);
        run.complete(ctx);   // twice is harmless
        QCOMPARE(j.events, QStringList({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a.done"), QStringLiteral("b.done")}));
    }

    void respondStopsTheChainAndOnlyRanFiltersComplete()
    {
        Journal j;
        FilterChain chain({std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{FilterStatus::Respond}),
                           std::make_shared<ScriptedFilter>(j, QStringLiteral("b"), QList<FilterStatus>{})});
        RequestContext ctx;
        FilterChainRun run;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Respond);
        QCOMPARE(ctx.error.status, 418);
        run.complete(ctx);
        QCOMPARE(j.events, QStringList({QStringLiteral("a"), QStringLiteral("a.done")}));
    }

    void suspendThenResumeContinues()
    {
        Journal j;
        auto a = std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{FilterStatus::Suspend});
        FilterChain chain({a, std::make_shared<ScriptedFilter>(j, QStringLiteral("b"), QList<FilterStatus>{})});
        RequestContext ctx;
        FilterChainRun run;
        Host host;
        host.run = &run;
        host.ctx = &ctx;
        ctx.host = &host;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Suspend);
        QVERIFY(run.isSuspended());
        a->handle->resume(FilterStatus::Continue);
        QCOMPARE(host.last, FilterStatus::Continue);
        a->handle->resume(FilterStatus::Continue);   // a second call does nothing
        QCOMPARE(host.resumes, 1);
        QCOMPARE(j.events, QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    }

    void rerunCallsTheSameFilterAgain()
    {
        Journal j;
        auto a = std::make_shared<ScriptedFilter>(j, QStringLiteral("a"),
                                                  QList<FilterStatus>{FilterStatus::Suspend, FilterStatus::Respond});
        FilterChain chain({a, std::make_shared<ScriptedFilter>(j, QStringLiteral("b"), QList<FilterStatus>{})});
        RequestContext ctx;
        FilterChainRun run;
        Host host;
        host.run = &run;
        host.ctx = &ctx;
        ctx.host = &host;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Suspend);
        a->handle->rerun();
        QCOMPARE(host.last, FilterStatus::Respond);
        run.complete(ctx);
        QCOMPARE(j.events, QStringList({QStringLiteral("a"), QStringLiteral("a"), QStringLiteral("a.done")}));
    }

    void completeCancelsAPendingResume()
    {
        Journal j;
        auto a = std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{FilterStatus::Suspend});
        FilterChain chain({a});
        RequestContext ctx;
        FilterChainRun run;
        Host host;
        host.run = &run;
        host.ctx = &ctx;
        ctx.host = &host;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Suspend);
        run.complete(ctx);   // the client went away
        QVERIFY(a->handle->isCancelled());
        a->handle->resume(FilterStatus::Continue);
        QCOMPARE(host.resumes, 0);
    }

    void responseHeadRunsLastFirstForFiltersThatRan()
    {
        Journal j;
        FilterChain chain({std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{}),
                           std::make_shared<ScriptedFilter>(j, QStringLiteral("b"), QList<FilterStatus>{})});
        RequestContext ctx;
        FilterChainRun run;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
        run.responseHead(ctx, 201, Http1FieldList());
        run.complete(ctx);
        QCOMPARE(j.events, QStringList({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("b.response201"),
                                        QStringLiteral("a.response201"), QStringLiteral("a.done"),
                                        QStringLiteral("b.done")}));
    }

    void suspendWithoutHandleIsAnsweredNotHung()
    {
        class Broken final : public Filter
        {
        public:
            Phase phase() const override { return Phase::RateLimit; }
            QLatin1StringView name() const override { return QLatin1StringView("broken"); }
            FilterStatus onRequest(RequestContext &) const override { return FilterStatus::Suspend; }
        };
        FilterChain chain({std::make_shared<Broken>()});
        RequestContext ctx;
        FilterChainRun run;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Respond);
        QCOMPARE(ctx.error.status, 500);
    }

    void timeIsAccountedToThePhase()
    {
        Journal j;
        FilterChain chain({std::make_shared<ScriptedFilter>(j, QStringLiteral("a"), QList<FilterStatus>{}, Phase::RateLimit)});
        RequestContext ctx;
        FilterChainRun run;
        QCOMPARE(run.start(&chain, ctx), FilterStatus::Continue);
        QVERIFY(ctx.phaseNs[size_t(Phase::RateLimit)] > 0);
        QCOMPARE(ctx.phaseNs[size_t(Phase::Authn)], 0);
        ctx.reset();
        QCOMPARE(ctx.phaseNs[size_t(Phase::RateLimit)], 0);
    }
};

QTEST_GUILESS_MAIN(tst_FilterChain)
#include "tst_filterchain.moc"
