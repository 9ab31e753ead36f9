// gatehoused user hash: the hash it prints verifies the password it read (and no other), honours
// --iterations, and refuses bad usage.
#include "testclient.h"
#include "testgateway.h"

#include "security/passwordhash.h"

#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

class tst_UserCommand : public QObject
{
    Q_OBJECT
private slots:
    void hashVerifiesThePassword()
    {
        const ProcessResult r = runProcess(gatehousedPath(), {QStringLiteral("user"), QStringLiteral("hash"),
                                                              QStringLiteral("--iterations"), QStringLiteral("1000")},
                                           30'000, "correct horse\n");
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.describe()));
        const QString hash = QString::fromLatin1(r.out.trimmed());
        const auto info = parsePasswordHash(hash);
        QVERIFY2(info.ok(), qPrintable(hash));
        QCOMPARE(info->iterations, 1000);
        QVERIFY(verifyPassword("correct horse", hash));
        QVERIFY(!verifyPassword("correct horse\n", hash));
        QVERIFY(!verifyPassword("correct hors", hash));
        QVERIFY2(r.err.contains("warning"), r.err.constData());   // 1000 is below the recommendation
    }

    void twoHashesOfOnePasswordDiffer()
    {
        const QStringList args{QStringLiteral("user"), QStringLiteral("hash"), QStringLiteral("--iterations"),
                               QStringLiteral("1000")};
        const ProcessResult a = runProcess(gatehousedPath(), args, 30'000, "pw\n");
        const ProcessResult b = runProcess(gatehousedPath(), args, 30'000, "pw\n");
        QVERIFY(a.exitCode == 0 && b.exitCode == 0);
        QVERIFY2(a.out != b.out, "the salt is not random");
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("no subcommand") << QStringList{QStringLiteral("user")} << QByteArray("pw\n") << 2;
        QTest::newRow("iterations too low") << QStringList{QStringLiteral("user"), QStringLiteral("hash"),
                                                           QStringLiteral("--iterations"), QStringLiteral("10")}
                                            << QByteArray("pw\n") << 2;
        QTest::newRow("empty password") << QStringList{QStringLiteral("user"), QStringLiteral("hash")}
                                        << QByteArray("\n") << 1;
    }

    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, input);
        QFETCH(int, exitCode);
        const ProcessResult r = runProcess(gatehousedPath(), args, 30'000, input);
        QVERIFY2(r.finished && r.exitCode == exitCode, qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_UserCommand)
#include "tst_usercommand.moc"
