// The Debian packages: cpack builds gatehoused_*.deb and gatehouse_*.deb from this build tree, and
// dpkg-deb shows what they hold (binaries, systemd unit, /etc/gatehouse as conffiles, maintainer
// scripts, desktop file, icon, AppStream metadata) and what they depend on. The /etc sample passes
// `gatehoused check`; the metadata passes `appstreamcli validate` where it is installed.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class tst_Packages : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void daemonPackageHolds_data();
    void daemonPackageHolds();
    void daemonPackageControl();
    void maintainerScriptsAreValidShell();
    void etcSamplePassesTheCheck();
    void workbenchPackageHolds_data();
    void workbenchPackageHolds();
    void workbenchMetadataIsValid();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
    };
    static Run run(const QString &program, const QStringList &arguments, const QString &dir = {});
    QString deb(const QString &package) const;

    QTemporaryDir m_tmp;
    QString m_version;
    bool m_gui = false;
    QString m_daemonList, m_daemonInfo, m_appList, m_appInfo;
    QString m_daemonTree, m_appTree;
};

tst_Packages::Run tst_Packages::run(const QString &program, const QStringList &arguments, const QString &dir)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(program, arguments);
    if (!p.waitForFinished(600000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAll())};
}

QString tst_Packages::deb(const QString &package) const
{
    return m_tmp.filePath(QStringLiteral("%1_%2_amd64.deb").arg(package, m_version));
}

void tst_Packages::initTestCase()
{
    for (const char *tool : {"cpack", "dpkg-deb"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is not installed").arg(QString::fromLatin1(tool))));
    }
    m_version = qEnvironmentVariable("GATEHOUSE_VERSION");
    m_gui = qEnvironmentVariable("GATEHOUSE_GUI") == u"1";
    const QString config = qEnvironmentVariable("GATEHOUSE_BUILD_DIR") + QStringLiteral("/CPackConfig.cmake");
    QVERIFY2(QFile::exists(config), qPrintable(config));
    const Run cpack = run(QStringLiteral("cpack"), {QStringLiteral("--config"), config, QStringLiteral("-B"), m_tmp.path()});
    QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out));
    QVERIFY2(QFile::exists(deb(QStringLiteral("gatehoused"))), qPrintable(cpack.out));
    m_daemonList = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb(QStringLiteral("gatehoused"))}).out;
    m_daemonInfo = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-I"), deb(QStringLiteral("gatehoused"))}).out;
    m_daemonTree = m_tmp.filePath(QStringLiteral("daemon-tree"));
    QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-R"), deb(QStringLiteral("gatehoused")), m_daemonTree}).exitCode, 0);
    if (m_gui) {
        QVERIFY2(QFile::exists(deb(QStringLiteral("gatehouse"))), qPrintable(cpack.out));
        m_appList = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb(QStringLiteral("gatehouse"))}).out;
        m_appInfo = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-I"), deb(QStringLiteral("gatehouse"))}).out;
        m_appTree = m_tmp.filePath(QStringLiteral("app-tree"));
        QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), deb(QStringLiteral("gatehouse")), m_appTree}).exitCode, 0);
    }
}

// "-rwxr-xr-x root/root 123 2026-11-26 18:00 ./usr/bin/gatehoused": the mode of `path`, or empty.
static QString modeOf(const QString &listing, const QString &path)
{
    for (const QString &line : listing.split(u'\n')) {
        if (line.endsWith(QStringLiteral(" .") + path))
            return line.section(u' ', 0, 0);
    }
    return {};
}

void tst_Packages::daemonPackageHolds_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("mode");
    QTest::newRow("the daemon") << "/usr/bin/gatehoused" << "-rwxr-xr-x";
    QTest::newRow("the systemd unit") << "/lib/systemd/system/gatehoused.service" << "-rw-r--r--";
    QTest::newRow("the sample settings") << "/etc/gatehouse/gatehouse.yaml" << "-rw-r--r--";
    QTest::newRow("the sample API") << "/etc/gatehouse/apis/hello.yaml" << "-rw-r--r--";
    QTest::newRow("the configuration reference") << "/usr/share/doc/gatehoused/configuration.md" << "-rw-r--r--";
    QTest::newRow("the native interceptor header") << "/usr/include/gatehouse/interceptor.h" << "-rw-r--r--";
    QTest::newRow("the sample policy hub's index") << "/usr/share/gatehouse/hub/index.yaml" << "-rw-r--r--";
}

void tst_Packages::daemonPackageHolds()
{
    QFETCH(QString, path);
    QFETCH(QString, mode);
    QVERIFY2(modeOf(m_daemonList, path) == mode, qPrintable(m_daemonList));
    QVERIFY(!m_daemonList.contains(QStringLiteral("./usr/bin/gatehouse\n")));   // the workbench is the other package
}

void tst_Packages::daemonPackageControl()
{
    QVERIFY2(m_daemonInfo.contains(QStringLiteral(" Package: gatehoused\n")), qPrintable(m_daemonInfo));
    QVERIFY(m_daemonInfo.contains(QStringLiteral(" Version: %1\n").arg(m_version)));
    QVERIFY(m_daemonInfo.contains(QStringLiteral(" Architecture: amd64\n")));
    const QString depends = m_daemonInfo.section(QStringLiteral(" Depends: "), 1).section(u'\n', 0, 0);
    for (const char *package : {"adduser", "ca-certificates", "libqt6core6", "libqt6network6", "libqt6httpserver6",
                                "libssl3"})
        QVERIFY2(depends.contains(QLatin1String(package)), qPrintable(QStringLiteral("%1 not in Depends: %2").arg(QLatin1String(package), depends)));
    // Linked into gatehoused from their static archives (GATEHOUSE_STATIC_DEPS).
    for (const char *package : {"libnghttp2", "liblua5.4", "libhiredis", "libyaml-cpp", "libprotobuf"})
        QVERIFY2(!depends.contains(QLatin1String(package)), qPrintable(QStringLiteral("%1 in Depends: %2").arg(QLatin1String(package), depends)));
    QVERIFY(!depends.contains(QStringLiteral("libqt6widgets")));   // headless
    for (const char *script : {"postinst", "prerm", "postrm", "conffiles"})
        QVERIFY2(QFile::exists(m_daemonTree + QStringLiteral("/DEBIAN/") + QLatin1String(script)), script);
    QFile conffiles(m_daemonTree + QStringLiteral("/DEBIAN/conffiles"));
    QVERIFY(conffiles.open(QIODevice::ReadOnly));
    QCOMPARE(conffiles.readAll(), QByteArray("/etc/gatehouse/gatehouse.yaml\n/etc/gatehouse/apis/hello.yaml\n"));
    QFile unit(m_daemonTree + QStringLiteral("/lib/systemd/system/gatehoused.service"));
    QVERIFY(unit.open(QIODevice::ReadOnly));
    const QByteArray text = unit.readAll();
    QVERIFY(text.contains("\nUser=gatehouse\n"));
    QVERIFY(text.contains("\nExecStart=/usr/bin/gatehoused serve /etc/gatehouse\n"));
    QVERIFY(text.contains("\nReadWritePaths=/etc/gatehouse/keys\n"));
    QFile postinst(m_daemonTree + QStringLiteral("/DEBIAN/postinst"));
    QVERIFY(postinst.open(QIODevice::ReadOnly));
    const QByteArray script = postinst.readAll();
    QVERIFY(script.contains("adduser --system"));
    QVERIFY(script.contains("chown gatehouse:gatehouse /etc/gatehouse/keys"));
}

void tst_Packages::maintainerScriptsAreValidShell()
{
    for (const char *script : {"postinst", "prerm", "postrm"}) {
        const QString path = m_daemonTree + QStringLiteral("/DEBIAN/") + QLatin1String(script);
        QVERIFY(QFileInfo(path).isExecutable());
        const Run check = run(QStringLiteral("sh"), {QStringLiteral("-n"), path});
        QVERIFY2(check.exitCode == 0, qPrintable(check.out));
    }
}

void tst_Packages::etcSamplePassesTheCheck()
{
    const Run check = run(qEnvironmentVariable("GATEHOUSED"), {QStringLiteral("check"), m_daemonTree + QStringLiteral("/etc/gatehouse")});
    QVERIFY2(check.exitCode == 0, qPrintable(check.out));
    QVERIFY2(check.out.contains(QStringLiteral("0 errors, 0 warnings")), qPrintable(check.out));
}

void tst_Packages::workbenchPackageHolds_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("the workbench") << "/usr/bin/gatehouse";
    QTest::newRow("the desktop file") << "/usr/share/applications/gatehouse.desktop";
    QTest::newRow("the icon") << "/usr/share/icons/hicolor/scalable/apps/gatehouse.svg";
    QTest::newRow("the AppStream metadata") << "/usr/share/metainfo/io.github.gatehouse.Gatehouse.metainfo.xml";
    QTest::newRow("the sample project") << "/usr/share/gatehouse/samples/petstore/gatehouse.yaml";
}

void tst_Packages::workbenchPackageHolds()
{
    if (!m_gui)
        QSKIP("built with GATEHOUSE_BUILD_GUI=OFF: no workbench package");
    QFETCH(QString, path);
    QVERIFY2(!modeOf(m_appList, path).isEmpty(), qPrintable(m_appList));
    QVERIFY(m_appInfo.contains(QStringLiteral(" Package: gatehouse\n")));
    QVERIFY(m_appInfo.contains(QStringLiteral("libqt6widgets6")));
    QVERIFY(m_appInfo.contains(QStringLiteral(" Recommends: gatehoused\n")));
}

void tst_Packages::workbenchMetadataIsValid()
{
    if (!m_gui)
        QSKIP("built with GATEHOUSE_BUILD_GUI=OFF: no workbench package");
    const QString metainfo = m_appTree + QStringLiteral("/usr/share/metainfo/io.github.gatehouse.Gatehouse.metainfo.xml");
    QFile file(metainfo);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray xml = file.readAll();
    QVERIFY(xml.contains(QStringLiteral("<release version=\"%1\"").arg(m_version).toUtf8()));
    QVERIFY(xml.contains("<launchable type=\"desktop-id\">gatehouse.desktop</launchable>"));
    if (QStandardPaths::findExecutable(QStringLiteral("appstreamcli")).isEmpty())
        QSKIP("appstreamcli is not installed: the metadata is not validated");
    const Run validate = run(QStringLiteral("appstreamcli"), {QStringLiteral("validate"), QStringLiteral("--no-net"), metainfo});
    QVERIFY2(validate.exitCode == 0, qPrintable(validate.out));
}

QTEST_GUILESS_MAIN(tst_Packages)
#include "tst_packages.moc"
