// Value syntaxes of gatehouse.yaml (durations, sizes, secret references, Redis URLs, suggestions) and
// the import of MGW throttling policies.
#include "project/mgwpolicies.h"
#include "project/settingsvalues.h"
#include "settingstesthelpers.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::SettingsValues;
using namespace SettingsTest;

class tst_SettingsValues : public QObject
{
    Q_OBJECT
private slots:
    void durations_data();
    void durations();
    void sizes_data();
    void sizes();
    void secretRefs_data();
    void secretRefs();
    void redisUrls_data();
    void redisUrls();
    void suggestions_data();
    void suggestions();
    void mgwPolicies_data();
    void mgwPolicies();
    void mgwDefaultPoliciesFile();
};

void tst_SettingsValues::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");   // -1 = refused
    QTest::newRow("milliseconds") << QStringLiteral("250ms") << qint64(250);
    QTest::newRow("seconds") << QStringLiteral("5s") << qint64(5000);
    QTest::newRow("minutes") << QStringLiteral("1m") << qint64(60'000);
    QTest::newRow("hours") << QStringLiteral("2h") << qint64(7'200'000);
    QTest::newRow("days") << QStringLiteral("1d") << qint64(86'400'000);
    QTest::newRow("a sum of units") << QStringLiteral("1m30s") << qint64(90'000);
    QTest::newRow("a bare zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("a bare number has no unit") << QStringLiteral("10") << qint64(-1);
    QTest::newRow("a negative duration") << QStringLiteral("-5s") << qint64(-1);
    QTest::newRow("a fraction") << QStringLiteral("1.5s") << qint64(-1);
    QTest::newRow("an unknown unit") << QStringLiteral("3w") << qint64(-1);
    QTest::newRow("a unit in words") << QStringLiteral("5 minutes") << qint64(-1);
    QTest::newRow("an overflow") << QStringLiteral("999999999999999d") << qint64(-1);
    QTest::newRow("an empty string") << QString() << qint64(-1);
}

void tst_SettingsValues::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const Result<milliseconds> value = parseDuration(text);
    QCOMPARE(value.ok(), ms >= 0);
    if (ms >= 0)
        QCOMPARE(value->count(), ms);
}

void tst_SettingsValues::sizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");   // -1 = refused
    QTest::newRow("bytes") << QStringLiteral("512B") << qint64(512);
    QTest::newRow("kibibytes") << QStringLiteral("64KiB") << qint64(65536);
    QTest::newRow("mebibytes") << QStringLiteral("10MiB") << qint64(10485760);
    QTest::newRow("gibibytes") << QStringLiteral("1GiB") << qint64(1073741824);
    QTest::newRow("decimal kilobytes") << QStringLiteral("64KB") << qint64(64000);
    QTest::newRow("decimal megabytes") << QStringLiteral("10MB") << qint64(10'000'000);
    QTest::newRow("a bare zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("a bare number has no unit") << QStringLiteral("1024") << qint64(-1);
    QTest::newRow("lower-case units are ambiguous") << QStringLiteral("64kib") << qint64(-1);
    QTest::newRow("two terms make no size") << QStringLiteral("1MiB512KiB") << qint64(-1);
    QTest::newRow("an overflow") << QStringLiteral("999999999999999TiB") << qint64(-1);
}

void tst_SettingsValues::sizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    const Result<qint64> value = parseSize(text);
    QCOMPARE(value.ok(), bytes >= 0);
    if (bytes >= 0)
        QCOMPARE(*value, bytes);
}

void tst_SettingsValues::secretRefs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("literal");
    QTest::addColumn<bool>("valid");
    QTest::newRow("an environment variable") << QStringLiteral("${env:ADMIN_PW}") << QStringLiteral("ADMIN_PW")
                                             << QString() << QString() << true;
    QTest::newRow("a file in the project") << QStringLiteral("${file:secrets/pw}") << QString()
                                           << QStringLiteral("secrets/pw") << QString() << true;
    QTest::newRow("a mounted file") << QStringLiteral("${file:/run/secrets/pw}") << QString()
                                    << QStringLiteral("/run/secrets/pw") << QString() << true;
    QTest::newRow("anything else is a literal") << QStringLiteral("hunter2") << QString() << QString()
                                                << QStringLiteral("hunter2") << true;
    QTest::newRow("a dollar inside a literal is fine") << QStringLiteral("a${b") << QString() << QString()
                                                       << QStringLiteral("a${b") << true;
    QTest::newRow("a variable name starting with a digit") << QStringLiteral("${env:1X}") << QString() << QString()
                                                           << QString() << false;
    QTest::newRow("an empty file name") << QStringLiteral("${file:}") << QString() << QString() << QString() << false;
    QTest::newRow("an unknown source") << QStringLiteral("${vault:kv/pw}") << QString() << QString() << QString()
                                       << false;
}

void tst_SettingsValues::secretRefs()
{
    QFETCH(QString, text);
    QFETCH(QString, env);
    QFETCH(QString, file);
    QFETCH(QString, literal);
    QFETCH(bool, valid);
    const Result<SecretRef> ref = parseSecretRef(text);
    QCOMPARE(ref.ok(), valid);
    if (!valid)
        return;
    QCOMPARE(ref->envName, env);
    QCOMPARE(ref->filePath, file);
    QCOMPARE(ref->literal, literal);
    QCOMPARE(ref->isReference(), literal.isEmpty());
    QCOMPARE(ref->toString(), text);
}

void tst_SettingsValues::redisUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");   // empty = refused
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("db");
    QTest::newRow("host only") << QStringLiteral("redis://cache") << QStringLiteral("cache") << 6379 << 0;
    QTest::newRow("host and port") << QStringLiteral("redis://cache:6380") << QStringLiteral("cache") << 6380 << 0;
    QTest::newRow("host, port and database") << QStringLiteral("redis://10.0.0.5:6379/3")
                                             << QStringLiteral("10.0.0.5") << 6379 << 3;
    QTest::newRow("IPv6 in brackets") << QStringLiteral("redis://[::1]:7000/1") << QStringLiteral("::1") << 7000 << 1;
    QTest::newRow("a trailing slash means database 0") << QStringLiteral("redis://cache/") << QStringLiteral("cache")
                                                       << 6379 << 0;
    QTest::newRow("another scheme") << QStringLiteral("rediss://cache") << QString() << 0 << 0;
    QTest::newRow("no host") << QStringLiteral("redis://:6379") << QString() << 0 << 0;
    QTest::newRow("port zero") << QStringLiteral("redis://cache:0") << QString() << 0 << 0;
    QTest::newRow("a word as port") << QStringLiteral("redis://cache:http") << QString() << 0 << 0;
    QTest::newRow("a word as database") << QStringLiteral("redis://cache/sessions") << QString() << 0 << 0;
    QTest::newRow("credentials") << QStringLiteral("redis://user:pw@cache") << QString() << 0 << 0;
    QTest::newRow("a query") << QStringLiteral("redis://cache?timeout=1") << QString() << 0 << 0;
    QTest::newRow("an unterminated IPv6 host") << QStringLiteral("redis://[::1") << QString() << 0 << 0;
}

void tst_SettingsValues::redisUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(int, db);
    const Result<RedisStore> store = parseRedisUrl(text);
    QCOMPARE(store.ok(), !host.isEmpty());
    if (!store.ok()) {
        QVERIFY(store.error().message.contains(QStringLiteral("redis://host[:port][/db]")));
        return;
    }
    QCOMPARE(store->host, host);
    QCOMPARE(int(store->port), port);
    QCOMPARE(store->database, db);
}

void tst_SettingsValues::suggestions_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("suggestion");   // among port, address, enabled, listeners, ttl, tls
    QTest::newRow("swapped letters") << QStringLiteral("prot") << QStringLiteral("port");
    QTest::newRow("a dropped letter") << QStringLiteral("adress") << QStringLiteral("address");
    QTest::newRow("another case") << QStringLiteral("Enabled") << QStringLiteral("enabled");
    QTest::newRow("two slips in a long word") << QStringLiteral("listners") << QStringLiteral("listeners");
    QTest::newRow("a short word one edit away") << QStringLiteral("tlx") << QStringLiteral("tls");
    QTest::newRow("a short word two edits away gets nothing") << QStringLiteral("tpx") << QString();
    QTest::newRow("nothing close") << QStringLiteral("banana") << QString();
}

void tst_SettingsValues::suggestions()
{
    QFETCH(QString, word);
    QFETCH(QString, suggestion);
    QCOMPARE(closestMatch(word, strings({"port", "address", "enabled", "listeners", "ttl", "tls"})), suggestion);
}

void tst_SettingsValues::mgwPolicies_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QStringList>("tiers");      // "name count/unitTime unit"
    QTest::addColumn<QStringList>("expected");   // diagnostics
    const QStringList none;
    QTest::newRow("the three MGW sections are read in order")
        << lines({"resourcePolicies:", "  - 10kPerMin: {count: 10000, unitTime: 1, timeUnit: min}",
                  "applicationPolicies:", "  - 10PerMin: {count: 10, unitTime: 1, timeUnit: min}",
                  "subscriptionPolicies:", "  - Gold: {count: 5000, unitTime: 1, timeUnit: min}"})
        << strings({"10kPerMin 10000/1 minute", "10PerMin 10/1 minute", "Gold 5000/1 minute"}) << none;
    QTest::newRow("the bare list of older MGW docs is read")
        << lines({"- 10kPerMin:", "    count: 10000", "    unitTime: 1", "    timeUnit: min"})
        << strings({"10kPerMin 10000/1 minute"}) << none;
    QTest::newRow("every spelling of the units maps to one")
        << lines({"resourcePolicies:", "  - A: {count: 1, unitTime: 5, timeUnit: sec}",
                  "  - B: {count: 1, unitTime: 2, timeUnit: hours}", "  - C: {count: 1, unitTime: 1, timeUnit: Day}"})
        << strings({"A 1/5 second", "B 1/2 hour", "C 1/1 day"}) << none;
    QTest::newRow("a missing unitTime means one unit")
        << lines({"subscriptionPolicies:", "  - Silver: {count: 2000, timeUnit: min}"})
        << strings({"Silver 2000/1 minute"}) << none;
    QTest::newRow("an unknown unit lists the allowed ones")
        << lines({"subscriptionPolicies:", "  - Silver: {count: 2000, unitTime: 1, timeUnit: month}"}) << none
        << strings({"policies.yaml:2:50: error: unknown value 'month' for 'subscriptionPolicies[0].Silver.timeUnit' "
                    "(allowed: sec, min, hour, day)"});
    QTest::newRow("a policy without count is refused")
        << lines({"subscriptionPolicies:", "  - Silver: {timeUnit: min}"}) << none
        << strings({"policies.yaml:2:13: error: policy 'Silver' needs 'count'"});
    QTest::newRow("a name used at two levels is refused")
        << lines({"resourcePolicies:", "  - Gold: {count: 1, timeUnit: min}", "subscriptionPolicies:",
                  "  - Gold: {count: 2, timeUnit: min}"})
        << strings({"Gold 1/1 minute"})
        << strings({"policies.yaml:4:5: error: policy 'Gold' is defined twice (first at line 2); Gatehouse tiers share "
                    "one name space"});
    QTest::newRow("Unlimited is skipped with a warning")
        << lines({"subscriptionPolicies:", "  - Unlimited: {count: 0, timeUnit: min}"}) << none
        << strings({"policies.yaml:2:5: warning: policy 'Unlimited' skipped: Gatehouse has it built in"});
    QTest::newRow("an entry naming two policies is refused")
        << lines({"subscriptionPolicies:", "  - {A: {count: 1, timeUnit: min}, B: {count: 2, timeUnit: min}}"}) << none
        << strings({"policies.yaml:2:5: error: each entry of 'subscriptionPolicies' names one policy, such as '- Gold: "
                    "{count: 5000, unitTime: 1, timeUnit: min}'"});
    QTest::newRow("a file holding a single word is refused")
        << lines({"policies"}) << none
        << strings({"policies.yaml:1:1: error: policies.yaml must hold resourcePolicies, applicationPolicies or "
                    "subscriptionPolicies, found the string 'policies'"});
    QTest::newRow("an unknown key suggests the right one")
        << lines({"subscriptionPolicies:", "  - Gold: {count: 1, timeUnit: min, stopOnQuotaReached: true}"})
        << strings({"Gold 1/1 minute"})
        << strings({"policies.yaml:2:37: warning: unknown key 'stopOnQuotaReached' in 'subscriptionPolicies[0].Gold' "
                    "(did you mean 'stopOnQuotaReach'?)"});
}

void tst_SettingsValues::mgwPolicies()
{
    QFETCH(QString, yaml);
    QFETCH(QStringList, tiers);
    QFETCH(QStringList, expected);
    Diagnostics diagnostics;
    const QList<ThrottleTier> imported = importMgwPoliciesFromBytes(yaml.toUtf8(), QStringLiteral("policies.yaml"),
                                                                    diagnostics);
    QStringList got;
    for (const ThrottleTier &tier : imported) {
        got.append(QStringLiteral("%1 %2/%3 %4").arg(tier.name).arg(tier.count).arg(tier.unitTime)
                       .arg(timeUnitName(tier.unit)));
    }
    QCOMPARE(got, tiers);
    QStringList messages;
    for (const Diagnostic &d : diagnostics.items())
        messages.append(d.toString());
    QCOMPARE(messages, expected);
}

void tst_SettingsValues::mgwDefaultPoliciesFile()
{
    // The policies.yaml MGW 3.x shipped (distribution/resources/definitions), as users have it.
    const QByteArray file = "resourcePolicies:\n"
                            "  - 50kPerMin:\n     count: 50000\n     unitTime: 1\n     timeUnit: min\n"
                            "  - 20kPerMin:\n     count: 20000\n     unitTime: 1\n     timeUnit: min\n"
                            "  - 10kPerMin:\n     count: 10000\n     unitTime: 1\n     timeUnit: min\n"
                            "applicationPolicies:\n"
                            "  - 50PerMin:\n     count: 50\n     unitTime: 1\n     timeUnit: min\n"
                            "  - 20PerMin:\n     count: 20\n     unitTime: 1\n     timeUnit: min\n"
                            "  - 10PerMin:\n     count: 10\n     unitTime: 1\n     timeUnit: min\n"
                            "subscriptionPolicies:\n"
                            "  - Gold:\n     count: 5000\n     unitTime: 1\n     timeUnit: min\n"
                            "  - Silver:\n     count: 2000\n     unitTime: 1\n     timeUnit: min\n"
                            "  - Bronze:\n     count: 1000\n     unitTime: 1\n     timeUnit: min\n"
                            "  - Unauthenticated:\n     count: 500\n     unitTime: 1\n     timeUnit: min\n"
                            "  - Default:\n      count: 500\n      unitTime: 1\n      timeUnit: min\n";
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("policies.yaml"));
    QVERIFY(writeFile(path, file));
    Diagnostics diagnostics;
    const QList<ThrottleTier> tiers = importMgwPolicies(path, QStringLiteral("policies.yaml"), diagnostics);
    QVERIFY2(diagnostics.isEmpty(), qPrintable(diagnostics.toString()));
    QCOMPARE(tiers.size(), 11);
    // The same numbers as Gatehouse's starter set: importing MGW's defaults changes nothing.
    const ProjectSettings defaults = defaultProjectSettings();
    for (const ThrottleTier &tier : tiers) {
        QVERIFY2(defaults.throttling.tiers.contains(tier.name), qPrintable(tier.name));
        QCOMPARE(defaults.throttling.tiers.value(tier.name).count, tier.count);
        QCOMPARE(tier.period(), seconds(60));
        QVERIFY(tier.stopOnQuotaReach);
    }
    QCOMPARE(tiers.first().location.toString(), QStringLiteral("policies.yaml:2:5"));

    Diagnostics missing;
    QVERIFY(importMgwPolicies(dir.filePath(QStringLiteral("none.yaml")), QStringLiteral("none.yaml"), missing).isEmpty());
    QVERIFY(missing.toString().startsWith(QStringLiteral("none.yaml: error: cannot read file")));
}

QTEST_GUILESS_MAIN(tst_SettingsValues)
#include "tst_settingsvalues.moc"
