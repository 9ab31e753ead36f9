// Private key files looser than 0600: the API-key signing key and the HTTPS key are refused with a
// message naming the mode and the fix; tight files and generated ones load.
#include "security/apikeyissuer.h"
#include "security/tlscertificate.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Gatehouse;

class tst_PrivateKeyFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void permissionsDecide_data();
    void permissionsDecide();
    void apiKeyIssuerRefusesALooseKey_data();
    void apiKeyIssuerRefusesALooseKey();
    void httpsListenerRefusesALooseKey_data();
    void httpsListenerRefusesALooseKey();
    void generatedKeysAreTight();

private:
    QTemporaryDir m_dir;
    QString m_tlsCert;
    QString m_tlsKey;
    QString m_apiKeyDir;   // a project folder whose keys/apikey.pem was generated (ES256)
};

namespace {

bool setMode(const QString &path, unsigned mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

void addModeRows()
{
    QTest::addColumn<unsigned>("mode");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("0600: only the owner reads and writes, accepted") << 0600U << true;
    QTest::newRow("0400: only the owner reads, accepted") << 0400U << true;
    QTest::newRow("0640: the group may read, refused") << 0640U << false;
    QTest::newRow("0644: everyone may read, refused") << 0644U << false;
    QTest::newRow("0604: others may read, refused") << 0604U << false;
    QTest::newRow("0620: the group may write, refused") << 0620U << false;
    QTest::newRow("0601: others may execute (search), refused") << 0601U << false;
}

} // namespace

void tst_PrivateKeyFiles::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_tlsCert = m_dir.filePath(QStringLiteral("tls/tls.crt"));
    m_tlsKey = m_dir.filePath(QStringLiteral("tls/tls.key"));
    auto made = ensureSelfSignedCertificate(m_tlsCert, m_tlsKey);
    QVERIFY2(made, made ? "" : qPrintable(made.error().message));
    m_apiKeyDir = m_dir.filePath(QStringLiteral("project"));
    ApiKeyIssuerSettings settings;
    settings.algorithm = QStringLiteral("ES256");
    auto opened = ApiKeyIssuer::open(settings, m_apiKeyDir);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
}

void tst_PrivateKeyFiles::permissionsDecide_data()
{
    addModeRows();
}

void tst_PrivateKeyFiles::permissionsDecide()
{
    QFETCH(unsigned, mode);
    QFETCH(bool, accepted);
    const QString path = m_dir.filePath(QStringLiteral("plain.key"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not even a key: only the mode counts here\n");
    f.close();
    QVERIFY(setMode(path, mode));
    const auto checked = checkPrivateFilePermissions(path);
    QCOMPARE(bool(checked), accepted);
    if (!accepted) {
        const QString message = checked.error().message;
        QVERIFY2(message.contains(QStringLiteral("permissions 0%1 are too open").arg(mode, 0, 8)), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("chmod 600 ") + path), qPrintable(message));
    }
}

void tst_PrivateKeyFiles::apiKeyIssuerRefusesALooseKey_data()
{
    addModeRows();
}

void tst_PrivateKeyFiles::apiKeyIssuerRefusesALooseKey()
{
    QFETCH(unsigned, mode);
    QFETCH(bool, accepted);
    const QString key = m_apiKeyDir + QStringLiteral("/keys/apikey.pem");
    QVERIFY(setMode(key, mode));
    ApiKeyIssuerSettings settings;
    settings.algorithm = QStringLiteral("ES256");
    const auto opened = ApiKeyIssuer::open(settings, m_apiKeyDir);
    QVERIFY(setMode(key, 0600));
    QCOMPARE(bool(opened), accepted);
    if (!accepted)
        QVERIFY2(opened.error().message.contains(QStringLiteral("too open")), qPrintable(opened.error().message));
}

void tst_PrivateKeyFiles::httpsListenerRefusesALooseKey_data()
{
    addModeRows();
}

void tst_PrivateKeyFiles::httpsListenerRefusesALooseKey()
{
    QFETCH(unsigned, mode);
    QFETCH(bool, accepted);
    QVERIFY(setMode(m_tlsKey, mode));
    const auto config = serverTlsConfiguration(m_tlsCert, m_tlsKey, ClientCertMode::None, {}, {QStringLiteral("http/1.1")});
    QVERIFY(setMode(m_tlsKey, 0600));
    QCOMPARE(bool(config), accepted);
    if (!accepted)
        QVERIFY2(config.error().message.contains(QStringLiteral("too open")), qPrintable(config.error().message));
}

void tst_PrivateKeyFiles::generatedKeysAreTight()
{
    for (const QString &path : {m_tlsKey, m_apiKeyDir + QStringLiteral("/keys/apikey.pem")}) {
        struct stat st = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777U, 0600U);
        QVERIFY2(checkPrivateFilePermissions(path), qPrintable(path));
    }
}

QTEST_GUILESS_MAIN(tst_PrivateKeyFiles)
#include "tst_privatekeyfiles.moc"
