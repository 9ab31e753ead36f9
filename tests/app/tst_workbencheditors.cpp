// The workbench's editors: highlighter by file type, the project's diagnostics in the editor,
// refreshed after a save, and the Outline dock following the current tab.
#include "mainwindow.h"

#include "codeeditor.h"
#include "openapiliveparser.h"
#include "openapioutline.h"
#include "protoliveparser.h"
#include "protoservicesview.h"

#include <QFile>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

using namespace Gatehouse;

class tst_WorkbenchEditors : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void anApiFileOpensWithItsProblemsAndOutline();
    void savingAFixClearsTheUnderline();
    void theOutlineFollowsTheCurrentTab();
    void aProtoFileOpensWithItsServicesTable();

private:
    void write(const QString &relative, const QByteArray &text);
    QTemporaryDir m_dir;
};

static const QByteArray kSettings = "version: 1\nthrottling:\n  tiers:\n    Gold: {count: 100, unit: minute}\n";

static const QByteArray kApi = R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:8080/api'}]
x-gatehouse-throttling-tier: Goldd
paths:
  /pets:
    get: {summary: List pets, responses: {'200': {description: ok}}}
    post: {summary: Add a pet, responses: {'201': {description: created}}}
)";

void tst_WorkbenchEditors::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    write(QStringLiteral("gatehouse.yaml"), kSettings);
    write(QStringLiteral("apis/pets.yaml"), kApi);
}

void tst_WorkbenchEditors::write(const QString &relative, const QByteArray &text)
{
    const QString path = m_dir.filePath(relative);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void tst_WorkbenchEditors::anApiFileOpensWithItsProblemsAndOutline()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    QVERIFY(w.diagnostics().hasErrors());
    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    QVERIFY(editor->highlighter());
    QCOMPARE(editor->highlighter()->language(), Language::Yaml);
    QCOMPARE(editor->indentWidth(), 2);
    QVERIFY(OpenApiLiveParser::of(editor));

    // The load's "unknown throttling tier" is underlined at once, before any live check.
    QCOMPARE(editor->markers().size(), 1);
    QCOMPARE(editor->markers().first().range.selectedText(), QStringLiteral("Goldd"));
    QVERIFY(editor->markers().first().message.contains(u"unknown throttling tier 'Goldd'"));

    QCOMPARE(w.outline()->editor(), editor);
    QTRY_COMPARE(w.outline()->model()->rowCount(), 2);
    // The live check agrees with the load, cross-file tier check included.
    QTRY_COMPARE(OpenApiLiveParser::of(editor)->parseCount(), 1);
    QCOMPARE(editor->markers().size(), 1);
}

void tst_WorkbenchEditors::savingAFixClearsTheUnderline()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    CodeEditor *editor = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(editor);
    QCOMPARE(editor->markers().size(), 1);

    QTextCursor c = editor->document()->find(QStringLiteral("Goldd"));
    QVERIFY(!c.isNull());
    c.insertText(QStringLiteral("Gold"));
    QVERIFY(w.saveCurrent());
    QVERIFY2(!w.diagnostics().hasErrors(), qPrintable(w.diagnostics().toString()));
    QVERIFY(editor->markers().isEmpty());
    QTRY_VERIFY(OpenApiLiveParser::of(editor)->parseCount() >= 1);
    QVERIFY(editor->markers().isEmpty());
    write(QStringLiteral("apis/pets.yaml"), kApi);
}

void tst_WorkbenchEditors::theOutlineFollowsTheCurrentTab()
{
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    CodeEditor *api = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QTRY_COMPARE(w.outline()->model()->rowCount(), 2);
    CodeEditor *settings = w.openFile(m_dir.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(settings && settings != api);
    QCOMPARE(settings->highlighter()->language(), Language::Yaml);
    QVERIFY(!OpenApiLiveParser::of(settings));   // settings are not an API
    QCOMPARE(w.outline()->editor(), settings);
    QCOMPARE(w.outline()->model()->rowCount(), 0);

    w.editors()->setCurrentWidget(api);
    QCOMPARE(w.outline()->editor(), api);
    QCOMPARE(w.outline()->model()->rowCount(), 2);
}

void tst_WorkbenchEditors::aProtoFileOpensWithItsServicesTable()
{
    write(QStringLiteral("protos/shop.proto"),
          "syntax = \"proto3\";\npackage shop;\nmessage M {}\n"
          "service Shop {\n  rpc Get(M) returns (M);\n}\n");
    MainWindow w;
    QVERIFY(w.openProject(m_dir.path()));
    CodeEditor *proto = w.openFile(m_dir.filePath(QStringLiteral("protos/shop.proto")));
    QVERIFY(proto && ProtoLiveParser::of(proto));
    QCOMPARE(w.protoServices()->editor(), proto);
    QTRY_VERIFY(w.protoServices()->item(QStringLiteral("shop.Shop"), QStringLiteral("Get")));
    QVERIFY(w.protoServices()->setOption(QStringLiteral("shop.Shop"), QStringLiteral("Get"),
                                         ProtoOptionField::MethodTier, {QStringLiteral("Gold")}));
    QTRY_COMPARE(w.protoServices()->item(QStringLiteral("shop.Shop"), QStringLiteral("Get"))
                     ->text(ProtoServicesView::TierColumn),
                 QStringLiteral("Gold"));
    QVERIFY(proto->toPlainText().contains(QStringLiteral("import \"gatehouse/options.proto\";")));
    // The live check is the project's: the tier is known, the service still lacks an upstream.
    const Diagnostics &live = ProtoLiveParser::of(proto)->diagnostics();
    QCOMPARE(live.items().size(), 1);
    QVERIFY2(live.items().first().message.contains(u"has no upstream"), qPrintable(live.toString()));

    CodeEditor *api = w.openFile(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QCOMPARE(w.protoServices()->editor(), api);
    QCOMPARE(w.protoServices()->table()->topLevelItemCount(), 0);
    QVERIFY(!w.protoServices()->isEnabled());
    QFile::remove(m_dir.filePath(QStringLiteral("protos/shop.proto")));
    proto->document()->setModified(false);
}

QTEST_MAIN(tst_WorkbenchEditors)
#include "tst_workbencheditors.moc"
