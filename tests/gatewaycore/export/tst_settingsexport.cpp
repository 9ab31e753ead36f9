// exportSettingsText: every secret of gatehouse.yaml becomes ${env:NAME} in place, the rest of the
// text stays as written.
#include "export/settingsexport.h"

#include <QTest>

using namespace Gatehouse;

class tst_SettingsExport : public QObject
{
    Q_OBJECT
private slots:
    void secretsBecomeReferences_data();
    void secretsBecomeReferences();
    void referencesAndMountsAreKept();
    void includeSecretsKeepsTheText();
    void blockScalarSecretIsAnError();
};

void tst_SettingsExport::secretsBecomeReferences_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("variable");
    QTest::newRow("a user's password hash, with a comment after it")
        << QByteArray("security:\n  users:\n    - name: demo\n      passwordHash: pbkdf2-sha256$1000$c2FsdHNhbHQ$aGFzaA  # the hash\n")
        << QByteArray("security:\n  users:\n    - name: demo\n      passwordHash: \"${env:GATEHOUSE_USER_DEMO_PASSWORD_HASH}\"  # the hash\n")
        << QStringLiteral("GATEHOUSE_USER_DEMO_PASSWORD_HASH");
    QTest::newRow("a quoted literal password of a user in a flow map")
        << QByteArray("security:\n  users:\n    - {name: ops-team, password: 'it''s secret', scopes: [a]}\n")
        << QByteArray("security:\n  users:\n    - {name: ops-team, password: \"${env:GATEHOUSE_USER_OPS_TEAM_PASSWORD}\", scopes: [a]}\n")
        << QStringLiteral("GATEHOUSE_USER_OPS_TEAM_PASSWORD");
    QTest::newRow("an issuer's HMAC secret in double quotes")
        << QByteArray("security:\n  issuers:\n    - name: batch\n      secret: \"s3cr\\\"et\"\n      issuer: b\n")
        << QByteArray("security:\n  issuers:\n    - name: batch\n      secret: \"${env:GATEHOUSE_ISSUER_BATCH_SECRET}\"\n      issuer: b\n")
        << QStringLiteral("GATEHOUSE_ISSUER_BATCH_SECRET");
    QTest::newRow("a key manager's client secret")
        << QByteArray("security:\n  keyManagers:\n    - name: idp\n      clientSecret: abc\n")
        << QByteArray("security:\n  keyManagers:\n    - name: idp\n      clientSecret: \"${env:GATEHOUSE_KEYMANAGER_IDP_CLIENT_SECRET}\"\n")
        << QStringLiteral("GATEHOUSE_KEYMANAGER_IDP_CLIENT_SECRET");
    QTest::newRow("the Redis password")
        << QByteArray("throttling:\n  redisPassword: hunter2\n")
        << QByteArray("throttling:\n  redisPassword: \"${env:GATEHOUSE_REDIS_PASSWORD}\"\n")
        << QStringLiteral("GATEHOUSE_REDIS_PASSWORD");
    QTest::newRow("a secret file inside the project")
        << QByteArray("throttling:\n  redisPassword: ${file:secrets/redis.txt}\n")
        << QByteArray("throttling:\n  redisPassword: \"${env:GATEHOUSE_REDIS_PASSWORD}\"\n")
        << QStringLiteral("GATEHOUSE_REDIS_PASSWORD");
}

void tst_SettingsExport::secretsBecomeReferences()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QByteArray, expected);
    QFETCH(QString, variable);
    Diagnostics d;
    const SettingsExport out = exportSettingsText(yaml, QStringLiteral("gatehouse.yaml"), false, d);
    QVERIFY2(!d.hasErrors(), qPrintable(d.toString()));
    QCOMPARE(out.text, expected);
    QCOMPARE(out.secrets.size(), 1);
    QCOMPARE(out.secrets.first().variable, variable);
    QVERIFY(out.secrets.first().removed);
    QVERIFY(out.secrets.first().location.line > 0);
}

void tst_SettingsExport::referencesAndMountsAreKept()
{
    const QByteArray yaml = "security:\n  users:\n    - name: admin\n      password: ${env:ADMIN_PW}\n"
                            "throttling:\n  redisPassword: ${file:/run/secrets/redis}\n";
    Diagnostics d;
    const SettingsExport out = exportSettingsText(yaml, QStringLiteral("gatehouse.yaml"), false, d);
    QCOMPARE(out.text, yaml);
    QCOMPARE(out.secrets.size(), 2);
    QCOMPARE(out.secrets[0].variable, QStringLiteral("ADMIN_PW"));
    QVERIFY(!out.secrets[0].removed);
    QCOMPARE(out.secrets[1].filePath, QStringLiteral("/run/secrets/redis"));
    QVERIFY(out.secretFiles.isEmpty());
}

void tst_SettingsExport::includeSecretsKeepsTheText()
{
    const QByteArray yaml = "throttling:\n  redisPassword: ${file:keys/redis.txt}\n";
    Diagnostics d;
    const SettingsExport out = exportSettingsText(yaml, QStringLiteral("gatehouse.yaml"), true, d);
    QCOMPARE(out.text, yaml);
    QCOMPARE(out.secretFiles, QStringList{QStringLiteral("keys/redis.txt")});
}

void tst_SettingsExport::blockScalarSecretIsAnError()
{
    const QByteArray yaml = "throttling:\n  redisPassword: |\n    multi\n    line\n";
    Diagnostics d;
    exportSettingsText(yaml, QStringLiteral("gatehouse.yaml"), false, d);
    QVERIFY(d.hasErrors());
    QVERIFY2(d.toString().startsWith(QStringLiteral("gatehouse.yaml:2:")), qPrintable(d.toString()));
}

QTEST_GUILESS_MAIN(tst_SettingsExport)
#include "tst_settingsexport.moc"
