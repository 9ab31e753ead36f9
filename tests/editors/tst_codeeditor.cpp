// The code editor: go to line, indentation with spaces, diagnostics (underline ranges, gutter,
// tooltips, only this file's), and the highlighter picked by the file's suffix.
#include "codeeditor.h"
#include "gotolinebar.h"

#include <QApplication>
#include <QLineEdit>
#include <QTest>
#include <QTextBlock>
#include <QToolTip>

using namespace Gatehouse;

Q_DECLARE_METATYPE(Gatehouse::TextSpan)

class tst_CodeEditor : public QObject
{
    Q_OBJECT
private slots:
    void parseLineColumn_data();
    void parseLineColumn();
    void goToLineBarJumps();
    void tabInsertsSpacesByLanguage_data();
    void tabInsertsSpacesByLanguage();
    void tabIndentsSelectedLinesAndShiftTabUnindents();
    void shiftTabRemovesAtMostOneLevel();
    void enterKeepsAndDeepensIndentation_data();
    void enterKeepsAndDeepensIndentation();
    void backspaceInIndentationRemovesOneLevel();
    void diagnosticSpan_data();
    void diagnosticSpan();
    void diagnosticsOfThisFileAreUnderlined();
    void diagnosticTooltipsOnTextAndGutter();
    void underlinesFollowEdits();
    void highlighterFollowsTheSuffix();

private:
    static std::unique_ptr<CodeEditor> editor(const QString &file, const QString &text);
    static QList<QTextEdit::ExtraSelection> underlines(const CodeEditor &editor);
};

std::unique_ptr<CodeEditor> tst_CodeEditor::editor(const QString &file, const QString &text)
{
    auto e = std::make_unique<CodeEditor>();
    e->setFilePath(QStringLiteral("/p/") + file, QStringLiteral("/p"));
    e->setPlainText(text);
    e->resize(640, 360);
    e->show();
    return e;
}

QList<QTextEdit::ExtraSelection> tst_CodeEditor::underlines(const CodeEditor &editor)
{
    QList<QTextEdit::ExtraSelection> out;
    for (const QTextEdit::ExtraSelection &s : editor.extraSelections()) {
        if (s.format.underlineStyle() == QTextCharFormat::WaveUnderline)
            out.append(s);
    }
    return out;
}

void tst_CodeEditor::parseLineColumn_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");     // 0: rejected
    QTest::addColumn<int>("column");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("a line alone") << s("12") << 12 << 0;
    QTest::newRow("a line and a column") << s("12:7") << 12 << 7;
    QTest::newRow("blanks around the parts are fine") << s(" 12 : 7 ") << 12 << 7;
    QTest::newRow("a trailing colon means no column") << s("12:") << 12 << 0;
    QTest::newRow("line zero is rejected") << s("0") << 0 << 0;
    QTest::newRow("a negative line is rejected") << s("-3") << 0 << 0;
    QTest::newRow("a plus sign is rejected") << s("+3") << 0 << 0;
    QTest::newRow("column zero is rejected") << s("4:0") << 0 << 0;
    QTest::newRow("words are rejected") << s("ten") << 0 << 0;
    QTest::newRow("an empty field is rejected") << s("") << 0 << 0;
    QTest::newRow("a third part is rejected") << s("1:2:3") << 0 << 0;
}

void tst_CodeEditor::parseLineColumn()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    const std::optional<LineColumn> parsed = Gatehouse::parseLineColumn(text);
    QCOMPARE(parsed.has_value(), line > 0);
    if (parsed)
        QCOMPARE(*parsed, (LineColumn{line, column}));
}

void tst_CodeEditor::goToLineBarJumps()
{
    auto e = editor(QStringLiteral("apis/a.yaml"), QStringLiteral("one\ntwo\nthree: 3\nfour\n"));
    e->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(e.get()));
    e->setFocus();
    QTest::keyClick(e.get(), Qt::Key_L, Qt::ControlModifier);
    QVERIFY(e->goToLineBar()->isVisible());
    QLineEdit *input = e->goToLineBar()->input();
    QCOMPARE(input->text(), QStringLiteral("1:1"));   // where the cursor is, selected for retyping
    QTest::keyClicks(input, QStringLiteral("3:4"));
    QTest::keyClick(input, Qt::Key_Return);
    QVERIFY(e->goToLineBar()->isHidden());
    QCOMPARE(e->textCursor().blockNumber(), 2);
    QCOMPARE(e->textCursor().positionInBlock(), 3);
    QCOMPARE(QApplication::focusWidget(), e.get());

    e->showGoToLine();
    input->setText(QStringLiteral("99"));   // past the end: the last line
    QVERIFY(e->goToLineBar()->accept());
    QCOMPARE(e->textCursor().blockNumber(), e->blockCount() - 1);

    e->showGoToLine();
    input->setText(QStringLiteral("two"));
    QVERIFY(!e->goToLineBar()->accept());
    QVERIFY(e->goToLineBar()->isVisible());
}

void tst_CodeEditor::tabInsertsSpacesByLanguage_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("expected");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("two spaces at the start of a YAML line")
        << s("apis/a.yaml") << s("key: v") << 0 << s("  key: v");
    QTest::newRow("four spaces in JSON") << s("apis/a.json") << s("{}") << 0 << s("    {}");
    QTest::newRow("four spaces in a proto") << s("protos/a.proto") << s("x") << 0 << s("    x");
    QTest::newRow("YAML tab stops are every two columns") << s("a.yml") << s(" k") << 1 << s("  k");
    QTest::newRow("Lua tab stops are every four columns")
        << s("p/a.lua") << s("ab") << 2 << s("ab  ");
}

void tst_CodeEditor::tabInsertsSpacesByLanguage()
{
    QFETCH(QString, file);
    QFETCH(QString, text);
    QFETCH(int, column);
    QFETCH(QString, expected);
    auto e = editor(file, text);
    QTextCursor c(e->document());
    c.setPosition(column);
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Tab);
    QCOMPARE(e->toPlainText(), expected);
    QVERIFY(!e->toPlainText().contains(u'\t'));
}

void tst_CodeEditor::tabIndentsSelectedLinesAndShiftTabUnindents()
{
    const QString text = QStringLiteral("a:\nb:\n\nc: 1\nd: 2");
    auto e = editor(QStringLiteral("apis/a.yaml"), text);
    QTextCursor c(e->document());
    c.setPosition(3);   // "b:"
    c.setPosition(int(text.indexOf(u'd')), QTextCursor::KeepAnchor);   // up to the start of "d:"
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Tab);
    QCOMPARE(e->toPlainText(),
             QStringLiteral("a:\n  b:\n\n  c: 1\nd: 2"));  // no blanks on empty lines
    QVERIFY(e->textCursor().hasSelection());

    QTest::keyClick(e.get(), Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(e->toPlainText(), text);
    e->undo();
    QCOMPARE(e->toPlainText(), QStringLiteral("a:\n  b:\n\n  c: 1\nd: 2"));   // one undo per indent
    e->undo();
    QCOMPARE(e->toPlainText(), text);
}

void tst_CodeEditor::shiftTabRemovesAtMostOneLevel()
{
    auto e = editor(QStringLiteral("apis/a.yaml"), QStringLiteral("     deep: 1"));
    QTextCursor c(e->document());
    c.movePosition(QTextCursor::End);
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(e->toPlainText(), QStringLiteral("   deep: 1"));
    QCOMPARE(e->textCursor().positionInBlock(), 10);   // the cursor stays after the same text
}

void tst_CodeEditor::enterKeepsAndDeepensIndentation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("expected");   // the new line's indentation
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("a YAML value line keeps its indentation")
        << s("a.yaml") << s("    title: Pets") << s("    ");
    QTest::newRow("a YAML key opening a map indents one level")
        << s("a.yaml") << s("  paths:") << s("    ");
    QTest::newRow("a comment after the colon does not hide it")
        << s("a.yaml") << s("paths:  # all") << s("  ");
    QTest::newRow("a block scalar header indents one level")
        << s("a.yaml") << s("  description: |") << s("    ");
    QTest::newRow("a list item's next key lines up with its first")
        << s("a.yaml") << s("  - name: id") << s("    ");
    QTest::newRow("a JSON object opening indents four")
        << s("a.json") << s("  \"a\": {") << s("      ");
    QTest::newRow("a proto message body indents four")
        << s("a.proto") << s("message M {") << s("    ");
    QTest::newRow("a Lua if indents four") << s("a.lua") << s("  if x then") << s("      ");
}

void tst_CodeEditor::enterKeepsAndDeepensIndentation()
{
    QFETCH(QString, file);
    QFETCH(QString, line);
    QFETCH(QString, expected);
    auto e = editor(file, line);
    QTextCursor c(e->document());
    c.movePosition(QTextCursor::End);
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Return);
    QCOMPARE(e->document()->lastBlock().text(), expected);
    QCOMPARE(e->textCursor().positionInBlock(), expected.size());
}

void tst_CodeEditor::backspaceInIndentationRemovesOneLevel()
{
    auto e = editor(QStringLiteral("a.yaml"), QStringLiteral("a:\n      b: 1"));
    QTextCursor c(e->document()->lastBlock());
    c.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor, 6);
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Backspace);
    QCOMPARE(e->document()->lastBlock().text(), QStringLiteral("    b: 1"));
    c = e->textCursor();
    c.movePosition(QTextCursor::EndOfBlock);
    e->setTextCursor(c);
    QTest::keyClick(e.get(), Qt::Key_Backspace);   // in text, one character as usual
    QCOMPARE(e->document()->lastBlock().text(), QStringLiteral("    b: "));
}

void tst_CodeEditor::diagnosticSpan_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("underlined");
    auto s = [](const char *t) { return QString::fromUtf8(t); };
    QTest::newRow("a key ends at its colon") << s("  x-gatehouse-throttling-tier: Goldd") << 3
                                             << s("x-gatehouse-throttling-tier");
    QTest::newRow("a value ends at the line's end")
        << s("  x-gatehouse-throttling-tier: Goldd") << 32 << s("Goldd");
    QTest::newRow("a quoted string ends at its closing quote")
        << s("$ref: '#/components/x y' # c") << 7 << s("'#/components/x y'");
    QTest::newRow("a scope keeps its colon")
        << s("- oauth2: [pets:read, x]") << 12 << s("pets:read");
    QTest::newRow("a URL keeps its colons") << s("url: http://a:8/x") << 6 << s("http://a:8/x");
    QTest::newRow("a column on blanks moves to the next token")
        << s("key:    value") << 5 << s("value");
    QTest::newRow("a column past the end marks the last character") << s("paths:") << 40 << s(":");
    QTest::newRow("column 0 covers the line without its indentation")
        << s("    get: x  ") << 0 << s("get: x");
    QTest::newRow("a flow bracket alone is one character") << s("paths: [") << 8 << s("[");
}

void tst_CodeEditor::diagnosticSpan()
{
    QFETCH(QString, line);
    QFETCH(int, column);
    QFETCH(QString, underlined);
    const TextSpan span = Gatehouse::diagnosticSpan(line, column);
    QCOMPARE(line.mid(span.start, span.length), underlined);
}

void tst_CodeEditor::diagnosticsOfThisFileAreUnderlined()
{
    auto e = editor(
        QStringLiteral("apis/pets.yaml"),
        QStringLiteral("openapi: 3.0.3\nx-gatehouse-throttling-tier: Goldd\nservers: []\n"));
    QList<Diagnostic> diagnostics{
        {Severity::Error,
         {QStringLiteral("apis/pets.yaml"), 2, 30},
         QStringLiteral("unknown throttling tier 'Goldd'")},
        {Severity::Warning,
         {QStringLiteral("/p/apis/pets.yaml"), 3, 1},
         QStringLiteral("no servers")},
        {Severity::Error,
         {QStringLiteral("apis/other.yaml"), 1, 1},
         QStringLiteral("not this file")},
        {Severity::Error, {QStringLiteral("gatehouse.yaml"), 2, 1}, QStringLiteral("nor this one")},
    };
    e->setDiagnostics(diagnostics);
    QCOMPARE(e->markers().size(), 2);
    const QList<QTextEdit::ExtraSelection> lines = underlines(*e);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0].cursor.selectedText(), QStringLiteral("Goldd"));
    QCOMPARE(lines[0].cursor.blockNumber(), 1);
    QCOMPARE(lines[0].format.underlineColor(), e->theme().error);
    QCOMPARE(lines[1].cursor.selectedText(), QStringLiteral("servers"));
    QCOMPARE(lines[1].format.underlineColor(), e->theme().warning);
    QVERIFY(e->theme().error != e->theme().warning);

    e->setDiagnostics({});   // replaces, never accumulates
    QVERIFY(underlines(*e).isEmpty());
}

void tst_CodeEditor::diagnosticTooltipsOnTextAndGutter()
{
    auto e = editor(QStringLiteral("apis/pets.yaml"),
                    QStringLiteral("openapi: 3.0.3\nx-gatehouse-throttling-tier: Goldd\n"));
    e->setDiagnostics({{Severity::Error, {QStringLiteral("apis/pets.yaml"), 2, 30},
                        QStringLiteral("unknown throttling tier 'Goldd' (known: Gold)")}});
    const int goldd = int(e->toPlainText().indexOf(QStringLiteral("Goldd")));
    const QString expected = QStringLiteral("error: unknown throttling tier 'Goldd' (known: Gold)");
    QCOMPARE(e->diagnosticToolTip(goldd), expected);
    QCOMPARE(e->diagnosticToolTip(goldd + 4), expected);
    QCOMPARE(e->diagnosticToolTip(goldd + 5), QString());   // just past the token
    QCOMPARE(e->diagnosticToolTip(0), QString());
    QCOMPARE(e->lineToolTip(1), expected);
    QCOMPARE(e->lineToolTip(0), QString());

    // Hovering the underlined word shows the message.
    QTextCursor c(e->document());
    c.setPosition(goldd + 2);
    const QPoint pos = e->cursorRect(c).center() + QPoint(1, 0);
    QHelpEvent help(QEvent::ToolTip, pos, e->viewport()->mapToGlobal(pos));
    QApplication::sendEvent(e->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    // Rich text, wrapped by hand at 80 columns: <b>error</b>: unknown throttling tier ...
    QCOMPARE(QToolTip::text(), QStringLiteral("<p style=\"white-space:pre\"><b>error</b>: unknown "
                                              "throttling tier 'Goldd' (known: Gold)</p>"));
    QToolTip::hideText();
}

void tst_CodeEditor::underlinesFollowEdits()
{
    auto e = editor(QStringLiteral("apis/pets.yaml"), QStringLiteral("a: 1\nbad: x\n"));
    e->setDiagnostics(
        {{Severity::Warning, {QStringLiteral("apis/pets.yaml"), 2, 1}, QStringLiteral("w")}});
    QTextCursor top(e->document());
    top.insertText(QStringLiteral("# a new first line\n"));
    const QList<QTextEdit::ExtraSelection> lines = underlines(*e);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0].cursor.selectedText(), QStringLiteral("bad"));
    QCOMPARE(lines[0].cursor.blockNumber(), 2);
    QCOMPARE(e->lineToolTip(2), QStringLiteral("warning: w"));
}

void tst_CodeEditor::highlighterFollowsTheSuffix()
{
    auto e = editor(QStringLiteral("apis/pets.yaml"), QStringLiteral("a: 1"));
    QVERIFY(e->highlighter());
    QCOMPARE(e->highlighter()->language(), Language::Yaml);
    QCOMPARE(e->indentWidth(), 2);
    e->setFilePath(QStringLiteral("/p/protos/greeter.proto"), QStringLiteral("/p"));
    QCOMPARE(e->highlighter()->language(), Language::Proto);
    QCOMPARE(e->indentWidth(), 4);
    e->setFilePath(QStringLiteral("/p/keys/tls.crt"), QStringLiteral("/p"));
    QCOMPARE(e->highlighter(), nullptr);
    QCOMPARE(e->relativeFilePath(), QStringLiteral("keys/tls.crt"));
}

QTEST_MAIN(tst_CodeEditor)
#include "tst_codeeditor.moc"
