// Find and replace: what a query matches, moving between matches with wrap-around, "N of M",
// replacing with regex groups, replace-all as one undo step, and the keyboard shortcuts.
#include "codeeditor.h"
#include "findbar.h"
#include "textsearch.h"

#include <QLineEdit>
#include <QTest>

using namespace Gatehouse;

class tst_FindReplace : public QObject
{
    Q_OBJECT
private slots:
    void counts_data();
    void counts();
    void replacementExpansion_data();
    void replacementExpansion();
    void nextAndPreviousWrap();
    void countFollowsTheQueryAndTheText();
    void replaceOneThenMoveOn();
    void replaceAllIsOneUndoStep();
    void regexReplaceAllUsesGroups();
    void shortcutsOpenAndDriveTheBar();
    void selectionSeedsTheQuery();

private:
    static CodeEditor *editorWith(const QString &text, QObject *owner);
};

void tst_FindReplace::counts_data()
{
    auto s = [](const char *text) { return QString::fromUtf8(text); };
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("caseSensitive");
    QTest::addColumn<bool>("wholeWords");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<int>("count");

    const QString pets = QStringLiteral("pets Pets PETS petstore /pets/{petId}");
    QTest::newRow("a plain query ignores case by default")
        << pets << s("pets") << false << false << false << 5;
    QTest::newRow("match case counts only the exact spelling")
        << pets << s("pets") << true << false << false << 3;
    QTest::newRow("whole words skip longer words")
        << pets << s("pets") << false << true << false << 4;
    QTest::newRow("whole words and match case together")
        << pets << s("Pets") << true << true << false << 1;
    QTest::newRow("a dot is literal without regex")
        << s("a.b axb a.b") << s("a.b") << false << false << false << 2;
    QTest::newRow("a dot is any character with regex")
        << s("a.b axb a.b") << s("a.b") << false << false << true << 3;
    QTest::newRow("a regex anchors at each line start")
        << s("get:\n  get:\nget:") << s("^get") << false << false << true << 2;
    QTest::newRow("an empty query finds nothing") << pets << s("") << false << false << false << 0;
    QTest::newRow("a bad regex finds nothing") << pets << s("(pets") << false << false << true << 0;
    QTest::newRow("a regex that matches empty text selects nothing")
        << pets << s("x*") << false << false << true << 0;
    QTest::newRow("a query with regex characters is literal without regex")
        << s("a(b) ab") << s("(b)") << false << false << false << 1;
}

void tst_FindReplace::counts()
{
    QFETCH(QString, text);
    QFETCH(QString, query);
    QFETCH(bool, caseSensitive);
    QFETCH(bool, wholeWords);
    QFETCH(bool, regex);
    QFETCH(int, count);
    const FindOptions options{caseSensitive, wholeWords, regex};
    QCOMPARE(findAll(text, findPattern(query, options)).size(), count);

    QObject owner;
    CodeEditor *editor = editorWith(text, &owner);
    editor->findBar()->setOptions(options);
    editor->findBar()->setFindText(query);
    QCOMPARE(editor->findBar()->matchCount(), count);
}

void tst_FindReplace::replacementExpansion_data()
{
    auto s = [](const char *text) { return QString::fromUtf8(text); };
    QTest::addColumn<QString>("replacement");
    QTest::addColumn<bool>("regex");
    QTest::addColumn<QString>("expected");
    QTest::newRow("groups are inserted with a regex") << s("\\2@\\1") << true << s("host@user");
    QTest::newRow("\\0 is the whole match") << s("[\\0]") << true << s("[user:host]");
    QTest::newRow("\\n and \\t are escapes with a regex") << s("a\\nb\\tc") << true << s("a\nb\tc");
    QTest::newRow("an escaped backslash is one backslash") << s("a\\\\b") << true << s("a\\b");
    QTest::newRow("a missing group inserts nothing") << s("<\\7>") << true << s("<>");
    QTest::newRow("without regex the replacement is literal") << s("\\1") << false << s("\\1");
}

void tst_FindReplace::replacementExpansion()
{
    QFETCH(QString, replacement);
    QFETCH(bool, regex);
    QFETCH(QString, expected);
    const QList<TextMatch> matches
        = findAll(QStringLiteral("user:host"),
                  findPattern(QStringLiteral("(\\w+):(\\w+)"), {false, false, true}));
    QCOMPARE(matches.size(), 1);
    QCOMPARE(expandReplacement(replacement, matches.first(), regex), expected);
}

CodeEditor *tst_FindReplace::editorWith(const QString &text, QObject *owner)
{
    auto *editor = new CodeEditor;
    QObject::connect(owner, &QObject::destroyed, editor, &QObject::deleteLater);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->setPlainText(text);
    editor->resize(600, 300);
    editor->show();
    return editor;
}

void tst_FindReplace::nextAndPreviousWrap()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("get one\nget two\nget three"), &owner);
    FindBar *bar = editor->findBar();
    editor->showFind(false);
    bar->setFindText(QStringLiteral("get"));

    QTextCursor start(editor->document());
    editor->setTextCursor(start);
    QVERIFY(bar->findNext());
    QCOMPARE(editor->textCursor().selectionStart(), 0);
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 3"));
    QVERIFY(bar->findNext());
    QVERIFY(bar->findNext());
    QCOMPARE(bar->currentMatch(), 3);
    QVERIFY(!bar->wrapped());

    QVERIFY(bar->findNext());   // past the last match: back to the first
    QCOMPARE(bar->currentMatch(), 1);
    QVERIFY(bar->wrapped());
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 3 · wrapped"));

    QVERIFY(bar->findPrevious());   // before the first: the last
    QCOMPARE(bar->currentMatch(), 3);
    QVERIFY(bar->wrapped());
    QCOMPARE(editor->textCursor().selectedText(), QStringLiteral("get"));
    QCOMPARE(editor->textCursor().blockNumber(), 2);
}

void tst_FindReplace::countFollowsTheQueryAndTheText()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("tier: Gold\ntier: Silver\n"), &owner);
    editor->showFind(false);
    FindBar *bar = editor->findBar();
    auto *query = bar->findChild<QLineEdit *>();
    QVERIFY(query);
    QTest::keyClicks(query, QStringLiteral("tier"));
    QCOMPARE(bar->matchCount(), 2);
    QCOMPARE(bar->currentMatch(), 1);   // typing selects the first match from the cursor

    QTextCursor end(editor->document());
    end.movePosition(QTextCursor::End);
    end.insertText(QStringLiteral("tier: Bronze\n"));
    QCOMPARE(bar->matchCount(), 3);
    QTRY_COMPARE(bar->statusText(), QStringLiteral("1 of 3"));

    QTest::keyClick(query, Qt::Key_Backspace);
    QTest::keyClicks(query, QStringLiteral("rr"));
    QCOMPARE(bar->matchCount(), 0);
    QCOMPARE(bar->statusText(), QStringLiteral("no matches"));
}

void tst_FindReplace::replaceOneThenMoveOn()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("Gold Gold Gold"), &owner);
    editor->showFind(true);
    FindBar *bar = editor->findBar();
    QVERIFY(bar->isReplaceShown());
    bar->setFindText(QStringLiteral("Gold"));
    bar->setReplaceText(QStringLiteral("Silver"));
    editor->setTextCursor(QTextCursor(editor->document()));
    QVERIFY(bar->replaceCurrent());   // nothing selected yet: finds the first
    QCOMPARE(editor->toPlainText(), QStringLiteral("Gold Gold Gold"));
    QVERIFY(bar->replaceCurrent());
    QCOMPARE(editor->toPlainText(), QStringLiteral("Silver Gold Gold"));
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 2"));
}

void tst_FindReplace::replaceAllIsOneUndoStep()
{
    QObject owner;
    const QString original
        = QStringLiteral("x-wso2-basePath: /a\nx-wso2-throttling-tier: Gold\nkeep: x-wso2\n");
    CodeEditor *editor = editorWith(original, &owner);
    editor->showFind(true);
    FindBar *bar = editor->findBar();
    bar->setFindText(QStringLiteral("x-wso2-"));
    bar->setReplaceText(QStringLiteral("x-gatehouse-"));
    QCOMPARE(bar->replaceAll(), 2);
    QCOMPARE(editor->toPlainText(),
             QStringLiteral(
                 "x-gatehouse-basePath: /a\nx-gatehouse-throttling-tier: Gold\nkeep: x-wso2\n"));
    QCOMPARE(bar->statusText(), QStringLiteral("replaced 2"));
    QCOMPARE(bar->matchCount(), 0);
    editor->undo();
    QCOMPARE(editor->toPlainText(), original);
    QVERIFY(!editor->document()->isUndoAvailable());
}

void tst_FindReplace::regexReplaceAllUsesGroups()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("get /pets\npost /pets\n"), &owner);
    editor->showFind(true);
    FindBar *bar = editor->findBar();
    bar->setOptions({true, false, true});
    bar->setFindText(QStringLiteral("^(\\w+) (/\\S+)$"));
    bar->setReplaceText(QStringLiteral("\\2 \\1"));
    QCOMPARE(bar->replaceAll(), 2);
    QCOMPARE(editor->toPlainText(), QStringLiteral("/pets get\n/pets post\n"));
}

void tst_FindReplace::shortcutsOpenAndDriveTheBar()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("a b a b a"), &owner);
    editor->activateWindow();
    editor->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(editor));
    QVERIFY(editor->findBar()->isHidden());

    QTest::keyClick(editor, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(editor->findBar()->isVisible());
    QVERIFY(!editor->findBar()->isReplaceShown());
    QWidget *query = QApplication::focusWidget();
    QVERIFY(qobject_cast<QLineEdit *>(query));
    QTest::keyClicks(query, QStringLiteral("a"));
    QCOMPARE(editor->findBar()->currentMatch(), 1);
    QTest::keyClick(query, Qt::Key_F3);
    QCOMPARE(editor->findBar()->currentMatch(), 2);
    QTest::keyClick(query, Qt::Key_Return);
    QCOMPARE(editor->findBar()->currentMatch(), 3);
    QTest::keyClick(query, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(editor->findBar()->currentMatch(), 2);
    QTest::keyClick(query, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(editor->findBar()->currentMatch(), 1);

    QTest::keyClick(query, Qt::Key_Escape);
    QVERIFY(editor->findBar()->isHidden());
    QCOMPARE(QApplication::focusWidget(), editor);
    // The bar's space is given back to the text.
    QCOMPARE(editor->viewport()->geometry().bottom(), editor->contentsRect().bottom());

    QTest::keyClick(editor, Qt::Key_H, Qt::ControlModifier);
    QVERIFY(editor->findBar()->isVisible());
    QVERIFY(editor->findBar()->isReplaceShown());
    QVERIFY(editor->findBar()->geometry().top() > editor->viewport()->geometry().bottom());
    QTest::keyClick(editor, Qt::Key_Escape);
    QVERIFY(editor->findBar()->isHidden());
}

void tst_FindReplace::selectionSeedsTheQuery()
{
    QObject owner;
    CodeEditor *editor = editorWith(QStringLiteral("listPets\ncreatePet\n"), &owner);
    QTextCursor cursor(editor->document());
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, 4);
    cursor.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, 3);
    editor->setTextCursor(cursor);
    editor->showFind(false);
    QCOMPARE(editor->findBar()->findText(), QStringLiteral("Pet"));
    QCOMPARE(editor->findBar()->statusText(), QStringLiteral("1 of 2"));

    cursor.movePosition(QTextCursor::Down, QTextCursor::KeepAnchor);   // across lines: not a query
    editor->setTextCursor(cursor);
    editor->showFind(false);
    QCOMPARE(editor->findBar()->findText(), QStringLiteral("Pet"));
}

QTEST_MAIN(tst_FindReplace)
#include "tst_findreplace.moc"
