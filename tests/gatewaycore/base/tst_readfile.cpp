// readSmallFile(): whole files within a limit, refusals that name the path, /proc and devices bounded too.
#include "base/readfile.h"
#include "base/savefile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_ReadFile : public QObject
{
    Q_OBJECT
private slots:
    void readsAWholeFileUpToTheLimit();
    void aLargerFileIsRefusedNotCutShort();
    void aMissingFileIsAnErrorNamingThePath();
    void procAndDeviceFilesAreBoundedToo();
};

void tst_ReadFile::readsAWholeFileUpToTheLimit()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("key.pem"));
    QVERIFY(saveFile(path, QByteArray(100, 'k')));
    const auto bytes = readSmallFile(path, 100);
    QVERIFY(bytes);
    QCOMPARE(*bytes, QByteArray(100, 'k'));

    QVERIFY(saveFile(path, QByteArray()));
    QCOMPARE(readSmallFile(path, 100).value(), QByteArray());
}

void tst_ReadFile::aLargerFileIsRefusedNotCutShort()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("jwks.json"));
    QVERIFY(saveFile(path, QByteArray(101, 'j')));
    const auto bytes = readSmallFile(path, 100);
    QVERIFY(!bytes);
    QCOMPARE(bytes.error().message, path + QStringLiteral(" is larger than 100 bytes"));
}

void tst_ReadFile::aMissingFileIsAnErrorNamingThePath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.pem"));
    const auto bytes = readSmallFile(path, 100);
    QVERIFY(!bytes);
    QVERIFY2(bytes.error().message.startsWith(QStringLiteral("cannot read ") + path + u':'),
             qPrintable(bytes.error().message));
}

void tst_ReadFile::procAndDeviceFilesAreBoundedToo()
{
    // /proc files are regular files that report size 0: read whole, then held to the limit.
    const auto status = readSmallFile(QStringLiteral("/proc/self/status"), 1024 * 1024);
    QVERIFY(status);
    QVERIFY(status->contains("VmRSS:"));
    QVERIFY(!readSmallFile(QStringLiteral("/proc/self/status"), 100));
    // A device (or a pipe) has no size: at most one byte past the limit is asked for.
    const auto zeros = readSmallFile(QStringLiteral("/dev/zero"), 100);
    QVERIFY(!zeros);
    QCOMPARE(zeros.error().message, QStringLiteral("/dev/zero is larger than 100 bytes"));
}

QTEST_GUILESS_MAIN(tst_ReadFile)
#include "tst_readfile.moc"
