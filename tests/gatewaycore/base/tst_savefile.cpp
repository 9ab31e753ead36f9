// saveFile(): atomic writes, owner-only files, and errors that name the path.
#include "base/savefile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Gatehouse;

class tst_SaveFile : public QObject
{
    Q_OBJECT
private slots:
    void writesTheBytesAndCreatesTheFolder();
    void ownerOnlyFilesAre0600();
    void replacesAnExistingFileWhole();
    void anUnwritableFolderIsAnErrorNamingThePath();
};

void tst_SaveFile::writesTheBytesAndCreatesTheFolder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a/b/file.txt"));
    QVERIFY(saveFile(path, "hello\n"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("hello\n"));
}

void tst_SaveFile::ownerOnlyFilesAre0600()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("key.pem"));
    QVERIFY(saveFile(path, "secret", FileAccess::OwnerOnly));
    struct stat st = {};
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777U, 0600U);
}

void tst_SaveFile::replacesAnExistingFileWhole()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("f"));
    QVERIFY(saveFile(path, QByteArray(10000, 'x')));
    QVERIFY(saveFile(path, "short"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("short"));
}

void tst_SaveFile::anUnwritableFolderIsAnErrorNamingThePath()
{
    // A folder that cannot exist (its parent is a file): refused even for root.
    QTemporaryDir dir;
    QVERIFY(saveFile(dir.filePath(QStringLiteral("plain")), "x"));
    const QString path = dir.filePath(QStringLiteral("plain/f"));
    const auto saved = saveFile(path, "x");
    QVERIFY(!saved);
    QVERIFY2(saved.error().message.contains(path), qPrintable(saved.error().message));
}

QTEST_GUILESS_MAIN(tst_SaveFile)
#include "tst_savefile.moc"
