// TarWriter, GzipDevice and the ELF dependency reader, checked against GNU tar, gzip and ldd.
#include "export/elfdependencies.h"
#include "export/gzipdevice.h"
#include "export/tarwriter.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

QByteArray run(const QString &program, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, arguments);
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30'000) || p.exitCode() != 0)
        return "FAILED: " + p.readAllStandardError();
    return p.readAllStandardOutput();
}

QByteArray sampleArchive()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    TarWriter tar(&buffer);
    const QString longDir = QStringLiteral("deep/") + QString(120, u'd');
    const bool ok = tar.addDirectory(QStringLiteral("etc"), 0755) && tar.addFile(QStringLiteral("etc/passwd"), "root:x:0:0\n", 0644)
                    && tar.addDirectory(QStringLiteral("tmp"), 01777)
                    && tar.addFile(QStringLiteral("usr/bin/tool"), QByteArray(1000, 'x'), 0755, {10001, 10002})
                    && tar.addFile(longDir + QStringLiteral("/") + QString(130, u'f'), "long", 0600)
                    && tar.addSymlink(QStringLiteral("lib64"), QStringLiteral("usr/lib64")) && tar.finish();
    return ok ? buffer.data() : QByteArray();
}

} // namespace

class tst_Archives : public QObject
{
    Q_OBJECT
private slots:
    void tarListsAsWritten();
    void tarExtractsContentAndLongNames();
    void tarIsReproducible();
    void gzipDecompressesAndHashesBothSides();
    void gzipHeaderHasNoTimeOrName();
    void elfInfoOfTheShell();
    void elfClosureMatchesLdd();
    void notAnElfFile();
};

void tst_Archives::tarListsAsWritten()
{
    const QByteArray archive = sampleArchive();
    QVERIFY(!archive.isEmpty());
    QCOMPARE(archive.size() % 512, 0);
    const QString listing = QString::fromUtf8(run(QStringLiteral("tar"), {QStringLiteral("--numeric-owner"), QStringLiteral("-tvf"), QStringLiteral("-")}, archive));
    QVERIFY2(!listing.startsWith(QStringLiteral("FAILED")), qPrintable(listing));
    const QStringList lines = listing.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 6);
    QVERIFY2(lines[0].startsWith(QStringLiteral("drwxr-xr-x 0/0")) && lines[0].endsWith(QStringLiteral(" etc/")), qPrintable(lines[0]));
    QVERIFY2(lines[0].contains(QStringLiteral("1970-01-01")), qPrintable(lines[0]));
    QVERIFY2(lines[2].startsWith(QStringLiteral("drwxrwxrwt")), qPrintable(lines[2]));
    QVERIFY2(QRegularExpression(QStringLiteral("^-rwxr-xr-x 10001/10002 +1000 ")).match(lines[3]).hasMatch(), qPrintable(lines[3]));
    QVERIFY2(lines[5].startsWith(QStringLiteral("lrwxrwxrwx")) && lines[5].endsWith(QStringLiteral("lib64 -> usr/lib64")), qPrintable(lines[5]));
}

void tst_Archives::tarExtractsContentAndLongNames()
{
    QTemporaryDir dir;
    QVERIFY(!run(QStringLiteral("tar"), {QStringLiteral("-xf"), QStringLiteral("-"), QStringLiteral("-C"), dir.path()}, sampleArchive()).startsWith("FAILED"));
    QFile passwd(dir.filePath(QStringLiteral("etc/passwd")));
    QVERIFY(passwd.open(QIODevice::ReadOnly));
    QCOMPARE(passwd.readAll(), QByteArray("root:x:0:0\n"));
    const QString longPath = dir.filePath(QStringLiteral("deep/") + QString(120, u'd') + u'/' + QString(130, u'f'));
    QFile longFile(longPath);
    QVERIFY2(longFile.open(QIODevice::ReadOnly), "a 256-character path did not survive (pax header)");
    QCOMPARE(longFile.readAll(), QByteArray("long"));
    QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("usr/bin/tool"))).size(), 1000);
}

void tst_Archives::tarIsReproducible()
{
    QCOMPARE(sampleArchive(), sampleArchive());
}

void tst_Archives::gzipDecompressesAndHashesBothSides()
{
    QByteArray input;
    for (int i = 0; i < 200'000; ++i)
        input += QByteArray::number(i * 7919 % 1000) + ' ';
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    GzipDevice gzip(&out);
    for (qsizetype at = 0; at < input.size(); at += 65'537)
        QCOMPARE(gzip.write(input.mid(at, 65'537)), qMin<qsizetype>(65'537, input.size() - at));
    QVERIFY(gzip.finish());
    const QByteArray compressed = out.data();
    QVERIFY(compressed.size() < input.size() / 2);
    QCOMPARE(run(QStringLiteral("gzip"), {QStringLiteral("-dc")}, compressed), input);
    QCOMPARE(gzip.uncompressedSha256(), QCryptographicHash::hash(input, QCryptographicHash::Sha256));
    QCOMPARE(gzip.compressedSha256(), QCryptographicHash::hash(compressed, QCryptographicHash::Sha256));
    QCOMPARE(gzip.compressedSize(), compressed.size());
    QCOMPARE(gzip.uncompressedSize(), input.size());
}

void tst_Archives::gzipHeaderHasNoTimeOrName()
{
    auto compress = [](const QByteArray &input) {
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        GzipDevice gzip(&out);
        gzip.write(input);
        gzip.finish();
        return out.data();
    };
    const QByteArray a = compress("hello gatehouse");
    QTest::qWait(1100);   // a time stamp would differ now
    QCOMPARE(compress("hello gatehouse"), a);
    QCOMPARE(a.left(3), QByteArray("\x1f\x8b\x08", 3));
    QCOMPARE(a.at(3), '\0');                          // FLG: no name, no comment, no extra
    QCOMPARE(a.mid(4, 4), QByteArray(4, '\0'));       // MTIME 0
    QCOMPARE(a.at(9), '\x03');                        // OS: Unix
}

void tst_Archives::elfInfoOfTheShell()
{
    const Result<ElfInfo> info = readElfInfo(QStringLiteral("/bin/sh"));
    QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
    QCOMPARE(info->interpreter, QStringLiteral("/lib64/ld-linux-x86-64.so.2"));
    QVERIFY2(info->needed.contains(QStringLiteral("libc.so.6")), qPrintable(info->needed.join(u' ')));
}

void tst_Archives::elfClosureMatchesLdd()
{
    const QString self = QCoreApplication::applicationFilePath();
    const Result<ElfClosure> closure = resolveElfClosure({self});
    QVERIFY2(closure, qPrintable(closure ? QString() : closure.error().message));
    QStringList ours;
    for (const ElfLibrary &lib : closure->libraries) {
        ours.append(lib.soname);
        QVERIFY2(QFileInfo(lib.path).isFile(), qPrintable(lib.path));
    }
    ours.sort();
    // ldd: "libX.so.1 => /path (0x...)"; the vdso and the loader itself are not files to ship.
    QStringList theirs;
    static const QRegularExpression line(QStringLiteral("^\\s*(\\S+) => (/\\S+)"), QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(QString::fromUtf8(run(QStringLiteral("ldd"), {self})));
         it.hasNext();)
        theirs.append(it.next().captured(1));
    theirs.sort();
    QVERIFY(theirs.contains(QStringLiteral("libQt6Core.so.6")));
    QCOMPARE(ours, theirs);
    QCOMPARE(closure->interpreter, QStringLiteral("/lib64/ld-linux-x86-64.so.2"));
}

void tst_Archives::notAnElfFile()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("script")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\necho hi\n");
    f.close();
    const Result<ElfInfo> info = readElfInfo(f.fileName());
    QVERIFY(!info);
    QVERIFY2(info.error().message.contains(QStringLiteral("is not an ELF file")), qPrintable(info.error().message));
}

QTEST_GUILESS_MAIN(tst_Archives)
#include "tst_archives.moc"
