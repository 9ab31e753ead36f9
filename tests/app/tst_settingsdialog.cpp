// Settings: the dialog shows and saves the preferences (QSettings, organisation Gatehouse), and the
// main window takes them on at once: palette, editor font and tab width, the gateway's port and
// workers, and whether a save reloads the running gateway.
#include "codeeditor.h"
#include "gatewaycontroller.h"
#include "mainwindow.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_SettingsDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();
    void defaultsWhenNothingIsSaved();
    void dialogShowsAndSavesTheSettings();
    void outOfRangeValuesFallBackToDefaults();
    void editorsTakeFontAndTabWidthAtOnce();
    void theGatewayStartsOnTheChosenPortAndWorkers();
    void autoReloadOnSaveCanBeTurnedOff();

private:
    void write(const QString &relative, const QByteArray &text);
    QTemporaryDir m_dir;
};

static const QByteArray kApi = R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:1/api'}]
paths:
  /pets:
    get: {security: [], responses: {'200': {description: ok}}}
)";

void tst_SettingsDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_settingsdialog"));
    write(QStringLiteral("gatehouse.yaml"),
          "version: 1\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}\n");
    write(QStringLiteral("apis/pets.yaml"), kApi);
}

void tst_SettingsDialog::init()
{
    QSettings().clear();
    applyTheme(Theme::System);
}

void tst_SettingsDialog::cleanupTestCase()
{
    QSettings().clear();
}

void tst_SettingsDialog::write(const QString &relative, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(m_dir.filePath(relative)).absolutePath());
    QFile f(m_dir.filePath(relative));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void tst_SettingsDialog::defaultsWhenNothingIsSaved()
{
    const WorkbenchSettings s = WorkbenchSettings::load();
    QCOMPARE(s, WorkbenchSettings());
    QVERIFY(s.autoReloadOnSave);
    QCOMPARE(s.httpPort, quint16(0));   // the project's own port
}

void tst_SettingsDialog::dialogShowsAndSavesTheSettings()
{
    WorkbenchSettings given;
    given.editorFontPointSize = 13;
    given.indentWidth = 4;
    given.workers = 3;
    SettingsDialog dialog(given);
    QCOMPARE(dialog.fontSizeBox()->value(), 13);
    QCOMPARE(dialog.indentBox()->currentData().toInt(), 4);
    QCOMPARE(dialog.workersBox()->value(), 3);
    QCOMPARE(dialog.httpPortBox()->text(), QStringLiteral("From the project"));

    dialog.themeBox()->setCurrentIndex(dialog.themeBox()->findData(int(Theme::Dark)));
    dialog.httpPortBox()->setValue(18080);
    dialog.autoReloadBox()->setChecked(false);
    WorkbenchSettings announced;
    connect(&dialog, &SettingsDialog::applied, this, [&](const WorkbenchSettings &s) { announced = s; });
    dialog.apply();
    QCOMPARE(announced.theme, Theme::Dark);
    QCOMPARE(announced.httpPort, quint16(18080));
    QVERIFY(!announced.autoReloadOnSave);
    QCOMPARE(WorkbenchSettings::load(), announced);
    QCOMPARE(QSettings().value(QStringLiteral("gateway/httpPort")).toInt(), 18080);
    QCOMPARE(QSettings().organizationName(), QStringLiteral("Gatehouse"));
}

void tst_SettingsDialog::outOfRangeValuesFallBackToDefaults()
{
    QSettings settings;
    settings.setValue(QStringLiteral("editor/fontPointSize"), 500);
    settings.setValue(QStringLiteral("gateway/httpPort"), 70000);
    settings.setValue(QStringLiteral("gateway/workers"), -2);
    settings.setValue(QStringLiteral("editor/indentWidth"), QStringLiteral("wide"));
    QCOMPARE(WorkbenchSettings::load(), WorkbenchSettings());
}

void tst_SettingsDialog::editorsTakeFontAndTabWidthAtOnce()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    QCOMPARE(editor->indentWidth(), 2);   // YAML's own

    WorkbenchSettings s;
    s.editorFontPointSize = 17;
    s.indentWidth = 4;
    s.theme = Theme::Dark;
    w.applySettings(s);
    QCOMPARE(editor->font().pointSize(), 17);
    QCOMPARE(editor->indentWidth(), 4);
    QCOMPARE(editor->tabStopDistance(), editor->fontMetrics().horizontalAdvance(u' ') * 4.0);
    QCOMPARE(currentTheme(), Theme::Dark);
    QCOMPARE(QApplication::palette().color(QPalette::Base), darkPalette().color(QPalette::Base));

    // A file opened afterwards gets them too.
    write(QStringLiteral("notes.json"), "{}");   // not an API: the project stays valid
    CodeEditor *json = w.openFile(m_dir.filePath(QStringLiteral("notes.json")));
    QCOMPARE(json->font().pointSize(), 17);
    QCOMPARE(json->indentWidth(), 4);

    s.indentWidth = 0;   // back to "by file type"
    s.theme = Theme::Light;
    w.applySettings(s);
    QCOMPARE(editor->indentWidth(), 2);
    QCOMPARE(currentTheme(), Theme::Light);
}

void tst_SettingsDialog::theGatewayStartsOnTheChosenPortAndWorkers()
{
    QTcpServer probe;   // a port that is free right now
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();

    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    WorkbenchSettings s;
    s.httpPort = port;
    s.workers = 1;
    w.applySettings(s);
    connect(w.gateway(), &GatewayController::problems, this,
            [](const Diagnostics &d) { qWarning("%s", qPrintable(d.toString())); });
    QVERIFY(w.gateway()->start());
    QTRY_VERIFY(w.gateway()->isRunning());
    QCOMPARE(w.gateway()->engine()->httpPort(), port);
    QCOMPARE(w.gateway()->engine()->workerCount(), 1);
    w.gateway()->engine()->stopAndWait();
}

void tst_SettingsDialog::autoReloadOnSaveCanBeTurnedOff()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    WorkbenchSettings s;
    s.workers = 1;
    s.autoReloadOnSave = false;
    w.applySettings(s);
    QVERIFY(w.gateway()->start());
    QTRY_VERIFY(w.gateway()->isRunning());
    const auto version = w.gateway()->engine()->configVersion();

    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    editor->moveCursor(QTextCursor::End);
    editor->insertPlainText(QStringLiteral("# a comment\n"));
    QVERIFY(w.saveCurrent());
    QCOMPARE(w.gateway()->engine()->configVersion(), version);   // not reloaded

    s.autoReloadOnSave = true;
    w.applySettings(s);
    editor->insertPlainText(QStringLiteral("# another\n"));
    QVERIFY(w.saveCurrent());
    QTRY_VERIFY(w.gateway()->engine()->configVersion() > version);
    w.gateway()->engine()->stopAndWait();
    write(QStringLiteral("apis/pets.yaml"), kApi);
}

QTEST_MAIN(tst_SettingsDialog)
#include "tst_settingsdialog.moc"
