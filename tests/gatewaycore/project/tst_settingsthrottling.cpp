// gatehouse.yaml `throttling:`: one row per diagnostic with line:col, and MGW policies imported as tiers.
#include "settingstesthelpers.h"

#include <QTest>

using namespace Gatehouse;
using namespace SettingsTest;

class tst_SettingsThrottling : public QObject
{
    Q_OBJECT
private slots:
    void diagnostics_data();
    void diagnostics();
    void importedTiersJoinTheStarterSet();
};

void tst_SettingsThrottling::diagnostics_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QStringList>("expected");
    const QStringList none;

    // Throttling
    QTest::newRow("a tier count of zero is refused")
        << lines({"throttling:", "  tiers:", "    Free: {count: 0}"}) << none
        << strings({"gatehouse.yaml:3:19: error: tier 'Free' must allow at least 1 request, found count 0; use the "
                    "reserved tier 'Unlimited' for no limit"});
    QTest::newRow("a negative tier count is refused")
        << lines({"throttling:", "  tiers:", "    Free:", "      count: -5"}) << none
        << strings({"gatehouse.yaml:4:14: error: tier 'Free' must allow at least 1 request, found count -5; use the "
                    "reserved tier 'Unlimited' for no limit"});
    QTest::newRow("a tier without a count is refused")
        << lines({"throttling:", "  tiers:", "    Free: {unit: hour}"}) << none
        << strings({"gatehouse.yaml:3:11: error: tier 'Free' needs 'count', the requests allowed per unit"});
    QTest::newRow("redefining Unlimited is refused")
        << lines({"throttling:", "  tiers:", "    Unlimited: {count: 100}"}) << none
        << strings({"gatehouse.yaml:3:5: error: 'Unlimited' is a reserved tier and cannot be redefined"});
    QTest::newRow("a tier defined twice is refused")
        << lines({"throttling:", "  tiers:", "    Free: {count: 10}", "    Free: {count: 20}"}) << none
        << strings({"gatehouse.yaml:4:5: error: duplicate key 'Free' in 'throttling.tiers' (first set at line 3)"});
    QTest::newRow("a tier name with a space is refused")
        << lines({"throttling:", "  tiers:", "    Free Plan: {count: 10}"}) << none
        << strings({"gatehouse.yaml:3:5: error: tier name 'Free Plan' may hold only letters, digits, '_', '.' and "
                    "'-'"});
    QTest::newRow("an unknown tier unit lists the allowed ones")
        << lines({"throttling:", "  tiers:", "    Free: {count: 10, unit: week}"}) << none
        << strings({"gatehouse.yaml:3:29: error: unknown value 'week' for 'throttling.tiers.Free.unit' (allowed: "
                    "second, minute, hour, day)"});
    QTest::newRow("an unknown unauthenticated tier lists the known ones")
        << lines({"throttling:", "  starterTiers: false", "  unauthenticatedTier: Anonymous"}) << none
        << strings({"gatehouse.yaml:3:24: error: unknown throttling tier 'Anonymous' (known: Unlimited)"});
    QTest::newRow("a store that is neither local nor redis is refused")
        << lines({"throttling:", "  store: memcached://cache:11211"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'throttling.store' must be 'local' or a redis://host[:port][/db] "
                    "URL, found 'memcached://cache:11211'"});
    QTest::newRow("a redis store with a bad port is refused")
        << lines({"throttling:", "  store: redis://cache:99999"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'redis://cache:99999' is not a valid Redis store: the port must be "
                    "between 1 and 65535, found '99999' (expected redis://host[:port][/db])"});
    QTest::newRow("a redis URL with credentials is refused")
        << lines({"throttling:", "  store: redis://:s3cret@cache"}) << none
        << strings({"gatehouse.yaml:2:10: error: 'redis://:s3cret@cache' is not a valid Redis store: credentials do "
                    "not belong in the URL; set throttling.redisPassword (expected redis://host[:port][/db])"});
    QTest::newRow("a literal redis password is a warning")
        << lines({"throttling:", "  store: redis://cache", "  redisPassword: s3cret"}) << none
        << strings({"gatehouse.yaml:3:18: warning: 'throttling.redisPassword' holds a literal secret, which exports "
                    "leave out; use ${env:NAME} or ${file:path} instead"});
    QTest::newRow("a missing policies.yaml import is refused")
        << lines({"throttling:", "  import: policies.yaml"}) << none
        << strings({"gatehouse.yaml:2:11: error: file 'policies.yaml' for 'throttling.import' does not exist "
                    "(relative paths start at the project folder)"});
}

void tst_SettingsThrottling::diagnostics()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, files);
    QFETCH(QStringList, expected);
    const Loaded loaded = load(yaml, emptyFiles(files));
    QCOMPARE(loaded.lines(), expected);
}

void tst_SettingsThrottling::importedTiersJoinTheStarterSet()
{
    const QByteArray policies = "subscriptionPolicies:\n"
                                "  - Gold:\n"
                                "      count: 6000\n"
                                "      unitTime: 1\n"
                                "      timeUnit: min\n"
                                "  - Platinum:\n"
                                "      count: 10\n"
                                "      unitTime: 1\n"
                                "      timeUnit: sec\n"
                                "      stopOnQuotaReach: false\n";
    const Loaded loaded = load(lines({"throttling:", "  import: mgw/policies.yaml", "  tiers:", "    Iron: {count: 1}"}),
                               {{QStringLiteral("mgw/policies.yaml"), policies}});
    QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(loaded.diagnostics.toString()));
    const auto &tiers = loaded.settings.throttling.tiers;
    QCOMPARE(tiers.value(QStringLiteral("Gold")).count, qint64(6000));   // replaces the starter Gold
    QCOMPARE(tiers.value(QStringLiteral("Gold")).location.toString(), QStringLiteral("mgw/policies.yaml:2:5"));
    QCOMPARE(tiers.value(QStringLiteral("Platinum")).unit, TimeUnit::Second);
    QVERIFY(!tiers.value(QStringLiteral("Platinum")).stopOnQuotaReach);
    QVERIFY(tiers.contains(QStringLiteral("Iron")));
    QVERIFY(tiers.contains(QStringLiteral("Bronze")));
    QCOMPARE(loaded.settings.throttling.imports, QStringList{QStringLiteral("mgw/policies.yaml")});

    // Problems inside the import are reported against the imported file; a clash against the
    // definition in gatehouse.yaml.
    const Loaded clash = load(lines({"throttling:", "  import: policies.yaml", "  tiers:", "    Platinum: {count: 1}"}),
                              {{QStringLiteral("policies.yaml"), policies + "  - Broken: {count: 0, timeUnit: min}\n"}});
    QCOMPARE(clash.lines(),
             strings({"policies.yaml:11:21: error: policy 'Broken' must allow at least 1 request, found count 0",
                      "gatehouse.yaml:4:5: error: tier 'Platinum' is already imported from policies.yaml:6:5"}));
}

QTEST_GUILESS_MAIN(tst_SettingsThrottling)
#include "tst_settingsthrottling.moc"
