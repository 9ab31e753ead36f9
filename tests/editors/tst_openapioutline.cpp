// The OpenAPI outline: operations listed from the live text, re-read after the debounce, kept when
// the text stops parsing, clicking one moves the cursor; live validation feeds the editor.
#include "codeeditor.h"
#include "openapiliveparser.h"
#include "openapioutline.h"

#include "project/project.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTreeView>

using namespace Gatehouse;

class tst_OpenApiOutline : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void isApiFile_data();
    void isApiFile();
    void listsTheOperations();
    void followsAnEditAfterTheDebounce();
    void keepsTheLastGoodOperationsWhileTheTextDoesNotParse();
    void aParseOfTextChangedMeanwhileIsNotShown();
    void clickingAnOperationMovesTheCursor();
    void selectionFollowsTheCursor();
    void liveValidationUsesTheProject();
    void editorsWithoutAnApiShowAHint();

private:
    struct Fixture
    {
        std::unique_ptr<CodeEditor> editor;
        std::unique_ptr<OpenApiOutline> outline;
        OpenApiLiveParser *parser = nullptr;
    };
    Fixture open(const QString &text, const Project *project = nullptr);
    static QStringList rows(const OpenApiOutline &outline);
    QTemporaryDir m_dir;
};

static const char kPets[] = R"(openapi: 3.0.3
info: {title: Pets, version: v1}
servers: [{url: 'http://127.0.0.1:8080/api'}]
paths:
  /pets:
    get:
      summary: List all pets
      operationId: listPets
      responses: {'200': {description: ok}}
    post:
      operationId: addPet
      responses: {'201': {description: created}}
  /pets/{petId}:
    delete:
      summary: Remove a pet
      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: gone}}
components: {}
)";

void tst_OpenApiOutline::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QDir(m_dir.path()).mkpath(QStringLiteral("apis"));
    QFile file(m_dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kPets);
}

tst_OpenApiOutline::Fixture tst_OpenApiOutline::open(const QString &text, const Project *project)
{
    Fixture f;
    f.editor = std::make_unique<CodeEditor>();
    f.editor->setFilePath(m_dir.filePath(QStringLiteral("apis/pets.yaml")), m_dir.path());
    f.editor->setPlainText(text);
    f.editor->document()->setModified(false);
    f.parser = new OpenApiLiveParser(f.editor.get());
    if (project)
        f.parser->setProject(*project);
    f.outline = std::make_unique<OpenApiOutline>();
    f.outline->setEditor(f.editor.get());
    f.editor->resize(700, 500);
    f.outline->resize(360, 400);
    f.editor->show();
    f.outline->show();
    return f;
}

QStringList tst_OpenApiOutline::rows(const OpenApiOutline &outline)
{
    QStringList out;
    const QStandardItemModel *model = outline.model();
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, 0);
        out.append(i.data(OpenApiOutline::MethodRole).toString() + u' '
                   + i.data(OpenApiOutline::PathRole).toString());
    }
    return out;
}

void tst_OpenApiOutline::isApiFile_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("api");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("a YAML file under apis/ is an API") << s("/p/apis/pets.yaml") << true;
    QTest::newRow("a JSON file under apis/ is an API") << s("/p/apis/pets.JSON") << true;
    QTest::newRow("a fragment in a sub-folder is not") << s("/p/apis/common/schemas.yaml") << false;
    QTest::newRow("the project settings are not") << s("/p/gatehouse.yaml") << false;
    QTest::newRow("a proto is not") << s("/p/apis/x.proto") << false;
}

void tst_OpenApiOutline::isApiFile()
{
    QFETCH(QString, path);
    QFETCH(bool, api);
    QCOMPARE(OpenApiLiveParser::isApiFile(path, QStringLiteral("/p")), api);
    QVERIFY(!OpenApiLiveParser::isApiFile(path, QString()));
}

void tst_OpenApiOutline::listsTheOperations()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    QCOMPARE(rows(*f.outline),
             (QStringList{QStringLiteral("GET /pets"), QStringLiteral("POST /pets"),
                          QStringLiteral("DELETE /pets/{petId}")}));
    const QModelIndex get = f.outline->model()->index(0, 0);
    QCOMPARE(get.data(OpenApiOutline::SummaryRole).toString(), QStringLiteral("List all pets"));
    QCOMPARE(get.data(OpenApiOutline::LineRole).toInt(), 6);
    QVERIFY(f.outline->headerText().contains(QStringLiteral("<b>Pets</b> v1")));
    QVERIFY(f.outline->headerText().contains(QStringLiteral("3 operation")));
    QVERIFY2(f.parser->diagnostics().isEmpty(), qPrintable(f.parser->diagnostics().toString()));
}

void tst_OpenApiOutline::followsAnEditAfterTheDebounce()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    const int parses = f.parser->parseCount();

    // Add "put:" under /pets/{petId} as a user would: Enter at the end of the last line of
    // "delete", Backspace out of its indentation, then type with the editor's auto-indent.
    QTextCursor c(f.editor->document()->findBlockByNumber(16));   // "      responses: {'204' ..."
    c.movePosition(QTextCursor::EndOfBlock);
    f.editor->setTextCursor(c);
    QTest::keyClick(f.editor.get(), Qt::Key_Return);
    QTest::keyClick(f.editor.get(), Qt::Key_Backspace);
    QTest::keyClicks(f.editor.get(), QStringLiteral("put:"));
    QTest::keyClick(f.editor.get(), Qt::Key_Return);
    QTest::keyClicks(f.editor.get(), QStringLiteral("summary: Replace a pet"));
    QTest::keyClick(f.editor.get(), Qt::Key_Return);
    QTest::keyClicks(f.editor.get(), QStringLiteral("responses: {'200': {description: ok}}"));
    QCOMPARE(f.editor->document()->findBlockByNumber(17).text(), QStringLiteral("    put:"));
    QCOMPARE(f.editor->document()->findBlockByNumber(18).text(),
             QStringLiteral("      summary: Replace a pet"));
    // Still typing: nothing re-read yet, the keystrokes did not wait for a parse.
    QCOMPARE(f.parser->parseCount(), parses);
    QCOMPARE(f.outline->model()->rowCount(), 3);

    QTRY_COMPARE(f.outline->model()->rowCount(), 4);
    QCOMPARE(rows(*f.outline).last(), QStringLiteral("PUT /pets/{petId}"));
    QCOMPARE(f.outline->model()->index(3, 0).data(OpenApiOutline::SummaryRole).toString(),
             QStringLiteral("Replace a pet"));
    QCOMPARE(f.parser->parseCount(), parses + 1);   // one parse for the whole burst of typing
}

void tst_OpenApiOutline::keepsTheLastGoodOperationsWhileTheTextDoesNotParse()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);

    QTextCursor c(f.editor->document()->findBlockByNumber(1));
    c.insertText(QStringLiteral("info: [\n"));   // an unclosed flow list: not YAML any more
    QTRY_VERIFY(f.parser->isStale());
    QCOMPARE(f.outline->model()->rowCount(), 3);
    QVERIFY(f.outline->headerText().contains(QStringLiteral("last version that did")));
    QVERIFY(f.parser->diagnostics().hasErrors());
    QVERIFY(!f.editor->markers().isEmpty());   // the syntax error is underlined in the editor

    f.editor->undo();
    QTRY_VERIFY(!f.parser->isStale());
    QTRY_VERIFY(f.editor->markers().isEmpty());
}

void tst_OpenApiOutline::aParseOfTextChangedMeanwhileIsNotShown()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    const int parses = f.parser->parseCount();

    QTextCursor c(f.editor->document()->findBlockByNumber(17));   // "components: {}"
    c.insertText(QStringLiteral("    put: {responses: {'200': {description: ok}}}\n"));
    QElapsedTimer waited;
    waited.start();
    while (!f.parser->isBusy() && waited.elapsed() < 5000)
        QCoreApplication::processEvents();
    QVERIFY(f.parser->isBusy());
    // The worker's result cannot be delivered before the event loop runs again, so this edit
    // lands while the parse of the text with only "put" counts as running.
    c.insertText(QStringLiteral("    patch: {responses: {'200': {description: ok}}}\n"));

    QTRY_COMPARE(f.outline->model()->rowCount(), 5);
    QCOMPARE(rows(*f.outline).mid(3), (QStringList{QStringLiteral("PUT /pets/{petId}"),
                                                   QStringLiteral("PATCH /pets/{petId}")}));
    QCOMPARE(f.parser->parseCount(), parses + 1);   // the "put only" result was never shown
}

void tst_OpenApiOutline::clickingAnOperationMovesTheCursor()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    const QModelIndex remove = f.outline->model()->index(2, 0);
    const QRect rect = f.outline->view()->visualRect(remove);
    QVERIFY(rect.isValid());
    QTest::mouseClick(f.outline->view()->viewport(), Qt::LeftButton, {}, rect.center());
    const int line = remove.data(OpenApiOutline::LineRole).toInt();
    QCOMPARE(line, 14);
    QCOMPARE(f.editor->textCursor().blockNumber() + 1, line);
    QCOMPARE(f.editor->textCursor().block().text().trimmed(), QStringLiteral("delete:"));
    QCOMPARE(f.editor->textCursor().positionInBlock(), 4);   // at the key, not the line start
}

void tst_OpenApiOutline::selectionFollowsTheCursor()
{
    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    f.editor->goToLine(12);   // inside "post"
    QCOMPARE(f.outline->view()->currentIndex().row(), 1);
    f.editor->goToLine(16);   // inside "delete"
    QCOMPARE(f.outline->view()->currentIndex().row(), 2);
    f.editor->goToLine(18);   // components: past every operation
    QVERIFY(f.outline->view()->selectionModel()->selectedIndexes().isEmpty());
    f.editor->goToLine(1);
    QVERIFY(f.outline->view()->selectionModel()->selectedIndexes().isEmpty());
}

void tst_OpenApiOutline::liveValidationUsesTheProject()
{
    // gatehouse.yaml knows the tier Gold; a typo is reported while typing, as a save would.
    QTemporaryDir dir;
    QDir(dir.path()).mkpath(QStringLiteral("apis"));
    QFile settings(dir.filePath(QStringLiteral("gatehouse.yaml")));
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("version: 1\nthrottling:\n  tiers:\n    Gold: {count: 100, unit: minute}\n");
    settings.close();
    QFile api(dir.filePath(QStringLiteral("apis/pets.yaml")));
    QVERIFY(api.open(QIODevice::WriteOnly));
    api.write(kPets);
    api.close();
    Diagnostics loaded;
    const Project project = Project::load(dir.path(), loaded);
    QVERIFY2(!loaded.hasErrors(), qPrintable(loaded.toString()));

    auto editor = std::make_unique<CodeEditor>();
    editor->setFilePath(dir.filePath(QStringLiteral("apis/pets.yaml")), project.rootDir);
    editor->setPlainText(QString::fromUtf8(kPets));
    auto *parser = new OpenApiLiveParser(editor.get());
    parser->setProject(project);
    QTRY_COMPARE(parser->parseCount(), 1);
    QVERIFY2(parser->diagnostics().isEmpty(), qPrintable(parser->diagnostics().toString()));

    QTextCursor c(editor->document()->findBlockByNumber(3));   // before "paths:"
    c.insertText(QStringLiteral("x-gatehouse-throttling-tier: Goldd\n"));
    QTRY_COMPARE(parser->parseCount(), 2);
    QVERIFY2(parser->diagnostics().toString().contains(
                 QStringLiteral("unknown throttling tier 'Goldd'")),
             qPrintable(parser->diagnostics().toString()));
    QCOMPARE(editor->markers().size(), 1);
    QCOMPARE(editor->markers().first().range.selectedText(), QStringLiteral("Goldd"));
    QCOMPARE(editor->markers().first().range.blockNumber(), 3);
}

void tst_OpenApiOutline::editorsWithoutAnApiShowAHint()
{
    OpenApiOutline outline;
    outline.show();
    QCOMPARE(outline.model()->rowCount(), 0);
    QVERIFY(outline.view()->isHidden());
    CodeEditor settings;
    settings.setFilePath(m_dir.filePath(QStringLiteral("gatehouse.yaml")), m_dir.path());
    outline.setEditor(&settings);
    QVERIFY(outline.view()->isHidden());

    Fixture f = open(QString::fromUtf8(kPets));
    QTRY_COMPARE(f.outline->model()->rowCount(), 3);
    f.outline->setEditor(nullptr);
    QCOMPARE(f.outline->model()->rowCount(), 0);
}

QTEST_MAIN(tst_OpenApiOutline)
#include "tst_openapioutline.moc"
