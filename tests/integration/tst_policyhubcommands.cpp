// The policy hub's commands through gatehoused against temporary hubs: publish refusing hostile
// manifests (path traversal, malformed YAML, bad versions) at file:line:col, install refusing
// tampered and hostile indexes, update in semver order keeping gatehouse.yaml as written, and a
// git hub cloned from a file:// URL (never the network).
#include "testgateway.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

ProcessResult policy(const QStringList &args)
{
    return runGatehoused(QStringList{QStringLiteral("policy")} + args);
}

// A package folder: manifest + script.
void writePackage(const QString &dir, const QByteArray &manifest, const QByteArray &script = "function on_request(req)\nend\n")
{
    QVERIFY(writeTestFile(dir + QStringLiteral("/manifest.yaml"), manifest));
    QVERIFY(writeTestFile(dir + QStringLiteral("/main.lua"), script));
}

QByteArray manifest(const QByteArray &version, const QByteArray &extra = {})
{
    return "name: stamp\nversion: " + version + "\ndescription: Stamps requests.\ntags: [test]\nentry: main.lua\n" + extra;
}

} // namespace

class tst_PolicyHubCommands : public QObject
{
    Q_OBJECT
private slots:
    void publishRefusesHostileManifests_data();
    void publishRefusesHostileManifests();
    void installRefusesTamperedAndHostileHubs_data();
    void installRefusesTamperedAndHostileHubs();
    void updateMovesToTheNewestVersion();
    void installFromGitHub();
};

void tst_PolicyHubCommands::publishRefusesHostileManifests_data()
{
    QTest::addColumn<QByteArray>("manifestText");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("an entry that leaves the package is refused")
        << manifest("1.0.0").replace("entry: main.lua", "entry: ../../etc/passwd.lua")
        << QByteArray("/manifest.yaml:5:8: error: entry: expected a file inside the package (no '..', not absolute), "
                      "found '../../etc/passwd.lua'\n");
    QTest::newRow("malformed YAML is reported at its line and column")
        << QByteArray("name: stamp\nversion: [1.0.0\n")
        << QByteArray("/manifest.yaml:3:1: error: ");
    QTest::newRow("a version that is not semver is refused")
        << manifest("1.0") << QByteArray("/manifest.yaml:2:10: error: version: expected a semantic version such as 1.2.0, found '1.0'\n");
    QTest::newRow("an entry that does not exist is refused")
        << manifest("1.0.0").replace("entry: main.lua", "entry: absent.lua")
        << QByteArray("/manifest.yaml:5:8: error: entry: ");
    QTest::newRow("an unknown key is refused")
        << manifest("1.0.0", "colour: blue\n") << QByteArray("/manifest.yaml:6:9: error: unknown key 'colour'");
    QTest::newRow("a test file outside the package is refused")
        << manifest("1.0.0", "tests: [../x.lua]\n") << QByteArray("error: tests[0]: expected a file inside the package");
}

void tst_PolicyHubCommands::publishRefusesHostileManifests()
{
    QFETCH(QByteArray, manifestText);
    QFETCH(QByteArray, expected);
    QTemporaryDir work;
    const QString package = work.filePath(QStringLiteral("stamp"));
    writePackage(package, manifestText);
    const ProcessResult r = policy({QStringLiteral("publish"), package, QStringLiteral("--hub"), work.filePath(QStringLiteral("hub"))});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(expected), r.err.constData());
    QVERIFY(!QFileInfo::exists(work.filePath(QStringLiteral("hub/index.yaml"))));
}

void tst_PolicyHubCommands::installRefusesTamperedAndHostileHubs_data()
{
    QTest::addColumn<QString>("tamper");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("a package file changed after publishing is refused")
        << QStringLiteral("file") << QByteArray("index.yaml:3:5: error: package stamp 1.0.0 does not match its checksum");
    QTest::newRow("an index path that leaves the hub is refused")
        << QStringLiteral("path") << QByteArray("index.yaml:5:11: error: packages[0].path: '../../outside' must be a folder inside the hub");
    QTest::newRow("a malformed index is reported at its line and column")
        << QStringLiteral("yaml") << QByteArray("index.yaml:");
    QTest::newRow("a checksum that is not hex is refused")
        << QStringLiteral("sha") << QByteArray("error: packages[0].sha256: expected 64 hex digits");
}

void tst_PolicyHubCommands::installRefusesTamperedAndHostileHubs()
{
    QFETCH(QString, tamper);
    QFETCH(QByteArray, expected);
    QTemporaryDir work;
    const QString hub = work.filePath(QStringLiteral("hub"));
    writePackage(work.filePath(QStringLiteral("stamp")), manifest("1.0.0"));
    QCOMPARE(policy({QStringLiteral("publish"), work.filePath(QStringLiteral("stamp")), QStringLiteral("--hub"), hub}).exitCode, 0);
    const QString index = hub + QStringLiteral("/index.yaml");
    QByteArray text = readTestFile(index);
    if (tamper == u"file")
        QVERIFY(writeTestFile(hub + QStringLiteral("/packages/stamp/1.0.0/main.lua"), "function on_request(req) req:respond(200, 'pwned') end\n"));
    else if (tamper == u"path")
        QVERIFY(writeTestFile(index, text.replace("\"packages/stamp/1.0.0\"", "\"../../outside\"")));
    else if (tamper == u"yaml")
        QVERIFY(writeTestFile(index, text.replace("packages:", "packages: [")));
    else
        QVERIFY(writeTestFile(index, QByteArray(text).replace(QRegularExpression(QStringLiteral("sha256: [0-9a-f]+")).match(QString::fromUtf8(text)).captured().toUtf8(), "sha256: xyz")));
    TestProject project;
    const ProcessResult r = policy({QStringLiteral("install"), QStringLiteral("stamp"), QStringLiteral("--hub"), hub, project.path()});
    QVERIFY2(r.finished && r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.err.contains(expected), r.err.constData());
    QVERIFY(!QFileInfo::exists(project.filePath(QStringLiteral("policies/stamp"))));
    QVERIFY(!QFileInfo::exists(project.filePath(QStringLiteral("gatehouse.yaml"))));
}

void tst_PolicyHubCommands::updateMovesToTheNewestVersion()
{
    QTemporaryDir work;
    const QString hub = work.filePath(QStringLiteral("hub"));
    writePackage(work.filePath(QStringLiteral("v1")), manifest("1.0.0"), "function on_request(req) req:set_header('x-stamp', '1') end\n");
    writePackage(work.filePath(QStringLiteral("v2")), manifest("1.10.0"), "function on_request(req) req:set_header('x-stamp', '2') end\n");
    writePackage(work.filePath(QStringLiteral("v3")), manifest("1.9.0"), "function on_request(req) req:set_header('x-stamp', '3') end\n");
    for (const char *v : {"v1", "v2", "v3"}) {
        const ProcessResult p = policy({QStringLiteral("publish"), work.filePath(QString::fromLatin1(v)), QStringLiteral("--hub"), hub});
        QVERIFY2(p.exitCode == 0, qPrintable(p.describe()));
    }
    // The same version again with other files: refused; with the same files: nothing to do.
    writePackage(work.filePath(QStringLiteral("v1b")), manifest("1.0.0"), "function on_request(req) end\n");
    const ProcessResult again = policy({QStringLiteral("publish"), work.filePath(QStringLiteral("v1b")), QStringLiteral("--hub"), hub});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.err.contains("stamp 1.0.0 is published already with other files"), again.err.constData());
    QCOMPARE(policy({QStringLiteral("publish"), work.filePath(QStringLiteral("v1")), QStringLiteral("--hub"), hub}).exitCode, 0);

    TestProject project;
    QVERIFY(project.write(QStringLiteral("gatehouse.yaml"), "version: 1\n# keep this comment\nname: updating\n"));
    ProcessResult r = policy({QStringLiteral("install"), QStringLiteral("stamp@1.0.0"), QStringLiteral("--hub"), hub, project.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(readTestFile(project.filePath(QStringLiteral("policies/stamp/main.lua"))).contains("'1'"));
    r = policy({QStringLiteral("update"), QStringLiteral("--hub"), hub, project.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY2(r.out.contains("updated stamp 1.0.0 -> 1.10.0\n"), r.out.constData());   // semver order, not text order
    QVERIFY(readTestFile(project.filePath(QStringLiteral("policies/stamp/main.lua"))).contains("'2'"));
    const QByteArray yaml = readTestFile(project.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY2(yaml.startsWith("version: 1\n# keep this comment\nname: updating\n"), yaml.constData());
    QVERIFY2(yaml.contains("  - {name: stamp, version: 1.10.0, sha256: "), yaml.constData());
    QCOMPARE(yaml.count("name: stamp"), 1);
    r = policy({QStringLiteral("update"), QStringLiteral("stamp"), QStringLiteral("--hub"), hub, project.path()});
    QVERIFY2(r.out.contains("stamp 1.10.0 is up to date"), r.out.constData());
    // A tampered newer version is refused and the installed one stays.
    writePackage(work.filePath(QStringLiteral("v4")), manifest("2.0.0"));
    QCOMPARE(policy({QStringLiteral("publish"), work.filePath(QStringLiteral("v4")), QStringLiteral("--hub"), hub}).exitCode, 0);
    QVERIFY(writeTestFile(hub + QStringLiteral("/packages/stamp/2.0.0/main.lua"), "-- changed\n"));
    r = policy({QStringLiteral("update"), QStringLiteral("--hub"), hub, project.path()});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("package stamp 2.0.0 does not match its checksum"), r.err.constData());
    QVERIFY(readTestFile(project.filePath(QStringLiteral("policies/stamp/main.lua"))).contains("'2'"));
    QCOMPARE(runGatehoused({QStringLiteral("check"), project.path()}).exitCode, 0);
}

void tst_PolicyHubCommands::installFromGitHub()
{
    const QString git = QStandardPaths::findExecutable(QStringLiteral("git"));
    if (git.isEmpty())
        QSKIP("git is not installed");
    QTemporaryDir work;
    const QString repo = work.filePath(QStringLiteral("hub"));
    writePackage(work.filePath(QStringLiteral("stamp")), manifest("1.2.3"));
    QCOMPARE(policy({QStringLiteral("publish"), work.filePath(QStringLiteral("stamp")), QStringLiteral("--hub"), repo}).exitCode, 0);
    const QStringList identity{QStringLiteral("-c"), QStringLiteral("user.name=Test"), QStringLiteral("-c"),
                               QStringLiteral("user.email=test@localhost"), QStringLiteral("-C"), repo};
    QCOMPARE(runProcess(git, identity + QStringList{QStringLiteral("init"), QStringLiteral("-q")}).exitCode, 0);
    QCOMPARE(runProcess(git, identity + QStringList{QStringLiteral("add"), QStringLiteral(".")}).exitCode, 0);
    QCOMPARE(runProcess(git, identity + QStringList{QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("hub")}).exitCode, 0);
    QVERIFY(writeTestFile(repo + QStringLiteral("/packages/stamp/1.2.3/main.lua"), "-- uncommitted\n"));   // the clone does not see it
    TestProject project;
    const ProcessResult r = policy({QStringLiteral("install"), QStringLiteral("stamp"), QStringLiteral("--hub"),
                                    QStringLiteral("file://") + repo, project.path()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    QVERIFY(readTestFile(project.filePath(QStringLiteral("policies/stamp/main.lua"))).startsWith("function on_request"));
    const ProcessResult remote = policy({QStringLiteral("search"), QStringLiteral("--hub"), QStringLiteral("https://example.com/hub.git")});
    QCOMPARE(remote.exitCode, 1);
    QVERIFY2(remote.err.contains("the hub never uses the network"), remote.err.constData());
}

QTEST_GUILESS_MAIN(tst_PolicyHubCommands)
#include "tst_policyhubcommands.moc"
