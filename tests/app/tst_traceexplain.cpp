// The sentences of "Explain": durations, decisions whose time is said relative to when they are
// read, and the verdict a record's decisions give (the gateway's own answers included).
#include "traceexplain.h"

#include <QTest>

#include <limits>

Q_DECLARE_METATYPE(Gatehouse::TraceDecisionRecord)

using namespace Gatehouse;

namespace {

constexpr qint64 kRequestMs = 1'700'000'000'000;   // when the request came (ms since the epoch)

TraceDecisionRecord decision(const char *filter, Phase phase, bool allowed, const char *detail,
                             DecisionTime time = DecisionTime::None, qint64 atUnixMs = 0)
{
    return {phase, QString::fromUtf8(filter), allowed, QString::fromUtf8(detail), time, atUnixMs};
}

} // namespace

class tst_TraceExplain : public QObject
{
    Q_OBJECT
private slots:
    void duration_data();
    void duration();
    void decisionText_data();
    void decisionText();
    void verdict_data();
    void verdict();
};

void tst_TraceExplain::duration_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("under a second reads 0 s") << qint64(999) << "0 s";
    QTest::newRow("seconds up to a minute") << qint64(59'999) << "59 s";
    QTest::newRow("a minute and more reads minutes, rounded down") << qint64(3 * 60'000 + 59'000) << "3 min";
    QTest::newRow("hours from one hour") << qint64(5 * 3'600'000 + 1) << "5 h";
    QTest::newRow("days from two days") << qint64(3 * 86'400'000) << "3 days";
    QTest::newRow("a negative duration reads 0 s") << qint64(-5000) << "0 s";
    QTest::newRow("an absurd duration stays a number") << std::numeric_limits<qint64>::max() << "1000000 days";
}

void tst_TraceExplain::duration()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(TraceExplainer::duration(ms), text);
}

void tst_TraceExplain::decisionText_data()
{
    QTest::addColumn<TraceDecisionRecord>("decision");
    QTest::addColumn<qint64>("nowMs");
    QTest::addColumn<QString>("text");

    const TraceDecisionRecord expired = decision("authentication", Phase::Authn, false, "token expired",
                                                 DecisionTime::Expired, kRequestMs - 3 * 60'000);
    QTest::newRow("an expiry read at the request says how long before it")
        << expired << kRequestMs << "token expired 3 min ago";
    QTest::newRow("an expiry read an hour later says how long before now")
        << expired << kRequestMs + 3'600'000 << "token expired 1 h ago";
    const TraceDecisionRecord limited = decision("ratelimit", Phase::RateLimit, false,
                                                 "tier Bronze (API level): 10/min exceeded", DecisionTime::RetryAt,
                                                 kRequestMs + 11'200);
    QTest::newRow("a retry time ahead says when, in whole seconds rounded up")
        << limited << kRequestMs << "tier Bronze (API level): 10/min exceeded, retry in 12 s";
    QTest::newRow("a retry time passed says since when calls are admitted again")
        << limited << kRequestMs + 71'200 << "tier Bronze (API level): 10/min exceeded; calls were admitted again 1 min ago";
    QTest::newRow("a decision without a time is its detail")
        << decision("scopes", Phase::Authz, false, "scope 'write' missing: the token has 'read'") << kRequestMs
        << "scope 'write' missing: the token has 'read'";
    QTest::newRow("a time kind without an instant is its detail")
        << decision("authentication", Phase::Authn, false, "token expired", DecisionTime::Expired, 0) << kRequestMs
        << "token expired";
}

void tst_TraceExplain::decisionText()
{
    QFETCH(TraceDecisionRecord, decision);
    QFETCH(qint64, nowMs);
    QFETCH(QString, text);
    QCOMPARE(TraceExplainer::decisionText(decision, nowMs), text);
}

void tst_TraceExplain::verdict_data()
{
    QTest::addColumn<QList<TraceDecisionRecord>>("decisions");
    QTest::addColumn<int>("status");
    QTest::addColumn<QStringList>("lines");

    QTest::newRow("the refusing decision comes first, those passed after it")
        << QList<TraceDecisionRecord>{decision("authentication", Phase::Authn, true, "jwt 'alice' via oauth2"),
                                      decision("ratelimit", Phase::RateLimit, false,
                                               "tier Bronze (API level): 10/min exceeded", DecisionTime::RetryAt,
                                               kRequestMs + 12'000)}
        << 429
        << QStringList{QStringLiteral("Refused by ratelimit (ratelimit): tier Bronze (API level): 10/min exceeded, retry in 12 s"),
                       QStringLiteral("Passed authentication (authn): jwt 'alice' via oauth2")};
    QTest::newRow("no route is said as such, without a phase")
        << QList<TraceDecisionRecord>{decision("router", Phase::Respond, false, "No API resource matches GET /x")}
        << 404 << QStringList{QStringLiteral("Not routed: No API resource matches GET /x")};
    QTest::newRow("an upstream failure names the endpoint")
        << QList<TraceDecisionRecord>{decision("authentication", Phase::Authn, true, "anonymous"),
                                      decision("upstream", Phase::Upstream, false,
                                               "The upstream did not answer in time (http://10.0.0.7:8080)")}
        << 504
        << QStringList{QStringLiteral("The upstream failed: The upstream did not answer in time (http://10.0.0.7:8080)"),
                       QStringLiteral("Passed authentication (authn): anonymous")};
    QTest::newRow("an admitted request lists what it passed after the verdict")
        << QList<TraceDecisionRecord>{decision("scopes", Phase::Authz, true, "granted 'read'")} << 200
        << QStringList{QStringLiteral("Admitted for an anonymous caller and answered 200."),
                       QStringLiteral("Passed scopes (authz): granted 'read'")};
}

void tst_TraceExplain::verdict()
{
    QFETCH(QList<TraceDecisionRecord>, decisions);
    QFETCH(int, status);
    QFETCH(QStringList, lines);
    TraceRecord r;
    r.method = "GET";
    r.target = "/x";
    r.status = status;
    r.startUnixNs = kRequestMs * 1'000'000;
    r.decisions = decisions;
    QCOMPARE(TraceExplainer::explain(r, kRequestMs), lines);
}

QTEST_MAIN(tst_TraceExplain)
#include "tst_traceexplain.moc"
