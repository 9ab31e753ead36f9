// Policy packages without a gateway: semver order, which paths a manifest or index may name,
// manifest problems at file:line:col, the package checksum, and settings rendered as a Lua literal.
#include "policies/hub/hubindex.h"
#include "policies/hub/packagepolicy.h"
#include "policies/hub/policypackage.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

namespace {

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

} // namespace

class tst_PolicyPackage : public QObject
{
    Q_OBJECT
private slots:
    void semverOrder_data();
    void semverOrder();
    void safeRelativePaths_data();
    void safeRelativePaths();
    void manifestProblemsAtTheirPlace_data();
    void manifestProblemsAtTheirPlace();
    void checksumCoversNamesAndBytes();
    void checksumRefusesSymbolicLinks();
    void indexRefusesPathsOutsideTheHub();
    void settingsBecomeALuaLiteral_data();
    void settingsBecomeALuaLiteral();
};

void tst_PolicyPackage::semverOrder_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<int>("order");
    QTest::newRow("minor 10 is newer than minor 9") << "1.10.0" << "1.9.0" << 1;
    QTest::newRow("equal versions are equal") << "2.0.1" << "2.0.1" << 0;
    QTest::newRow("a pre-release is older than its release") << "1.0.0-rc.1" << "1.0.0" << -1;
    QTest::newRow("numeric pre-release parts compare as numbers") << "1.0.0-rc.10" << "1.0.0-rc.9" << 1;
    QTest::newRow("a major version wins over everything below") << "2.0.0" << "1.99.99" << 1;
}

void tst_PolicyPackage::semverOrder()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(int, order);
    QVERIFY(isSemver(a) && isSemver(b));
    const int got = compareSemver(a, b);
    QCOMPARE(got < 0 ? -1 : got > 0 ? 1 : 0, order);
    const int reverse = compareSemver(b, a);
    QCOMPARE(reverse < 0 ? -1 : reverse > 0 ? 1 : 0, -order);
}

void tst_PolicyPackage::safeRelativePaths_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("safe");
    QTest::newRow("a file in the folder is safe") << "main.lua" << true;
    QTest::newRow("a file in a subfolder is safe") << "lib/x.so" << true;
    QTest::newRow("a parent reference is not") << "../x.lua" << false;
    QTest::newRow("a parent reference in the middle is not") << "a/../../x.lua" << false;
    QTest::newRow("an absolute path is not") << "/etc/passwd" << false;
    QTest::newRow("a backslash is not") << "a\\..\\x" << false;
    QTest::newRow("an empty segment is not") << "a//x" << false;
    QTest::newRow("nothing is not") << "" << false;
}

void tst_PolicyPackage::safeRelativePaths()
{
    QFETCH(QString, path);
    QFETCH(bool, safe);
    QCOMPARE(isSafeRelativePath(path), safe);
}

void tst_PolicyPackage::manifestProblemsAtTheirPlace_data()
{
    QTest::addColumn<QByteArray>("manifest");
    QTest::addColumn<QString>("expected");
    const QByteArray good = "name: stamp\nversion: 1.0.0\ndescription: Stamps.\nentry: main.lua\n";
    QTest::newRow("a good manifest has no problem") << good << QString();
    QTest::newRow("a name with capitals is refused at the name")
        << QByteArray(good).replace("name: stamp", "name: Stamp")
        << "pkg/manifest.yaml:1:7: error: name: expected a package name (lower-case letters, digits and '-'), found 'Stamp'";
    QTest::newRow("a missing description is refused")
        << QByteArray(good).replace("description: Stamps.\n", "")
        << "pkg/manifest.yaml:1:1: error: description: a sentence saying what the policy does is required";
    QTest::newRow("an entry of another kind is refused")
        << QByteArray(good).replace("main.lua", "main.py")
        << "pkg/manifest.yaml:4:8: error: entry: expected a Lua script (.lua) or a native plugin (.so), found 'main.py'";
    QTest::newRow("settings that are not a schema map are refused")
        << good + "settings: [a]\n" << "pkg/manifest.yaml:5:11: error: settings: expected a JSON Schema (a map)";
    QTest::newRow("a list instead of a map is refused")
        << QByteArray("- a\n") << "pkg/manifest.yaml:1:1: error: a manifest is a map";
}

void tst_PolicyPackage::manifestProblemsAtTheirPlace()
{
    QFETCH(QByteArray, manifest);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("manifest.yaml")), manifest));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("main.lua")), "function on_request(req) end\n"));
    Diagnostics diagnostics;
    const std::optional<PolicyPackage> p = readPackageManifest(dir.path(), QStringLiteral("pkg"), diagnostics);
    if (expected.isEmpty()) {
        QVERIFY2(p && diagnostics.items().isEmpty(), qPrintable(diagnostics.toString()));
        QCOMPARE(p->kind, PackageEntryKind::Lua);
        return;
    }
    QVERIFY(!p);
    QVERIFY2(diagnostics.toString().contains(expected), qPrintable(diagnostics.toString()));
}

void tst_PolicyPackage::checksumCoversNamesAndBytes()
{
    QTemporaryDir a, b;
    QVERIFY(writeFile(a.filePath(QStringLiteral("x.lua")), "1"));
    QVERIFY(writeFile(b.filePath(QStringLiteral("x.lua")), "1"));
    QVERIFY(writeFile(b.filePath(QStringLiteral(".hidden")), "ignored"));
    QString error;
    const std::optional<QString> sa = packageChecksum(a.path(), &error);
    QVERIFY2(sa && sa->size() == 64, qPrintable(error));
    QCOMPARE(packageChecksum(b.path(), &error), sa);   // dot files are not part of a package
    QVERIFY(writeFile(b.filePath(QStringLiteral("x.lua")), "2"));
    QVERIFY(packageChecksum(b.path(), &error) != sa);
    QVERIFY(writeFile(b.filePath(QStringLiteral("x.lua")), "1"));
    QVERIFY(QFile::rename(b.filePath(QStringLiteral("x.lua")), b.filePath(QStringLiteral("y.lua"))));
    QVERIFY(packageChecksum(b.path(), &error) != sa);   // the same bytes under another name differ
}

void tst_PolicyPackage::checksumRefusesSymbolicLinks()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("x.lua")), "1"));
    QVERIFY(QFile::link(QStringLiteral("/etc/hostname"), dir.filePath(QStringLiteral("leak.lua"))));
    QString error;
    QVERIFY(!packageChecksum(dir.path(), &error));
    QCOMPARE(error, QStringLiteral("leak.lua is a symbolic link; packages hold plain files only"));
}

void tst_PolicyPackage::indexRefusesPathsOutsideTheHub()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("index.yaml")),
                      "packages:\n  - {name: x, version: 1.0.0, path: /etc, sha256: "
                      + QByteArray(64, 'a') + "}\n"));
    Diagnostics diagnostics;
    QVERIFY(!readHubIndex(dir.path(), QStringLiteral("hub/"), diagnostics));
    QVERIFY2(diagnostics.toString().contains(QLatin1StringView(
                 "hub/index.yaml:2:37: error: packages[0].path: '/etc' must be a folder inside the hub (no '..', not absolute)")),
             qPrintable(diagnostics.toString()));
}

void tst_PolicyPackage::settingsBecomeALuaLiteral_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("lua");
    QTest::newRow("an integer stays an integer") << QByteArray("[3]") << QByteArray("{3,}");
    QTest::newRow("a fraction keeps its digits") << QByteArray("[0.5]") << QByteArray("{0.5,}");
    QTest::newRow("quotes, backslashes and control characters are escaped")
        << QByteArray(R"(["a\"b\\c\n]]"])") << QByteArray("{\"a\\\"b\\\\c\\010]]\",}");
    QTest::newRow("null is nil") << QByteArray("[null, true]") << QByteArray("{nil,true,}");
    QTest::newRow("keys are quoted like values") << QByteArray(R"({"a]": {"b": false}})") << QByteArray("{[\"a]\"]={[\"b\"]=false,},}");
}

void tst_PolicyPackage::settingsBecomeALuaLiteral()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, lua);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    QCOMPARE(luaLiteral(doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object())), lua);
}

QTEST_GUILESS_MAIN(tst_PolicyPackage)
#include "tst_policypackage.moc"
