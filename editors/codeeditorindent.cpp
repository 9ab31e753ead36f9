// CodeEditor's keyboard: spaces for indentation (2 in YAML, 4 elsewhere), Shift+Tab to unindent,
// Enter keeping (and after "key:" or "{" deepening) the indentation, Backspace removing one level.
#include "codeeditor.h"

#include "findbar.h"
#include "gotolinebar.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QTextBlock>

namespace Gatehouse {

namespace {

qsizetype leadingSpaces(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && (text[i] == u' ' || text[i] == u'\t'))
        ++i;
    return i;
}

} // namespace

void CodeEditor::setCompleter(QCompleter *completer) { m_completer = completer; }

void CodeEditor::keyPressEvent(QKeyEvent *event)
{
    const Qt::KeyboardModifiers mods = event->modifiers() & ~Qt::KeypadModifier;
    if (m_completer && m_completer->popup()->isVisible()) {
        // The completer hands these on after it has acted on them: they are not ours to act on.
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore();
            return;
        default:
            break;
        }
    }
    if (event->key() == Qt::Key_Escape && (!m_findBar->isHidden() || !m_goToLineBar->isHidden())) {
        m_findBar->close();
        m_goToLineBar->hide();
        updatePanels();
        return;
    }
    if (event->key() == Qt::Key_Tab && mods == Qt::NoModifier) {
        QTextCursor cursor = textCursor();
        const QTextDocument *doc = document();
        if (cursor.hasSelection()
            && doc->findBlock(cursor.selectionStart()) != doc->findBlock(cursor.selectionEnd())) {
            indentSelection();
        } else {
            // Up to the next multiple of the indent width, as a tab stop would.
            const int column
                = cursor.selectionStart() - doc->findBlock(cursor.selectionStart()).position();
            cursor.insertText(QString(indentWidth() - column % indentWidth(), u' '));
            setTextCursor(cursor);
        }
        return;
    }
    if (event->key() == Qt::Key_Backtab) {
        unindentSelection();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && (mods == Qt::NoModifier || mods == Qt::ShiftModifier)) {
        insertNewline();
        return;
    }
    if (event->key() == Qt::Key_Backspace && mods == Qt::NoModifier && backspaceIndent())
        return;
    QPlainTextEdit::keyPressEvent(event);
}

void CodeEditor::indentSelection()
{
    QTextCursor cursor = textCursor();
    QTextBlock first = document()->findBlock(cursor.selectionStart());
    QTextBlock last = document()->findBlock(cursor.selectionEnd());
    // A selection ending at the start of a line does not take that line with it.
    if (last != first && cursor.selectionEnd() == last.position())
        last = last.previous();
    const QString spaces(indentWidth(), u' ');
    cursor.beginEditBlock();
    for (QTextBlock b = first; b.isValid(); b = b.next()) {
        if (!b.text().trimmed().isEmpty()) {   // no trailing blanks on empty lines
            QTextCursor c(b);
            c.insertText(spaces);
        }
        if (b == last)
            break;
    }
    cursor.endEditBlock();
    if (cursor.hasSelection()) {
        cursor.setPosition(first.position());
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
        setTextCursor(cursor);
    }
}

void CodeEditor::unindentSelection()
{
    QTextCursor cursor = textCursor();
    QTextBlock first = document()->findBlock(cursor.selectionStart());
    QTextBlock last = document()->findBlock(cursor.selectionEnd());
    if (last != first && cursor.selectionEnd() == last.position())
        last = last.previous();
    const bool hadSelection = cursor.hasSelection();
    cursor.beginEditBlock();
    for (QTextBlock b = first; b.isValid(); b = b.next()) {
        const QString text = b.text();
        int remove = 0;
        if (text.startsWith(u'\t'))
            remove = 1;
        else
            while (remove < indentWidth() && remove < text.size() && text[remove] == u' ')
                ++remove;
        if (remove > 0) {
            QTextCursor c(b);
            c.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, remove);
            c.removeSelectedText();
        }
        if (b == last)
            break;
    }
    cursor.endEditBlock();
    if (hadSelection) {
        cursor.setPosition(first.position());
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
        setTextCursor(cursor);
    }
}

void CodeEditor::insertNewline()
{
    QTextCursor cursor = textCursor();
    const QString line = cursor.block().text();
    const QString before = line.left(cursor.positionInBlock());
    int indent = int(leadingSpaces(before));
    QString code = before.trimmed();
    if (m_language == Language::Yaml) {
        if (const qsizetype comment = code.indexOf(QStringLiteral(" #")); comment >= 0)
            code = code.left(comment).trimmed();
        // The next key of a list item lines up with the item's first key.
        if (code.startsWith(QStringLiteral("- ")))
            indent += 2;
        static const QRegularExpression blockScalar(QStringLiteral("(^|[:\\s-])[|>][-+0-9]*$"));
        if (code.endsWith(u':') || blockScalar.match(code).hasMatch())
            indent += indentWidth();
    } else if (code.endsWith(u'{') || code.endsWith(u'[') || code.endsWith(u'(')
               || (m_language == Language::Lua
                   && (code.endsWith(QStringLiteral(" then"))
                       || code.endsWith(QStringLiteral(" do")) || code == u"else"
                       || code == u"repeat"
                       || (code.contains(QStringLiteral("function")) && code.endsWith(u')'))))) {
        indent += indentWidth();
    }
    cursor.beginEditBlock();
    cursor.insertText(u'\n' + QString(indent, u' '));
    cursor.endEditBlock();
    setTextCursor(cursor);
    ensureCursorVisible();
}

bool CodeEditor::backspaceIndent()
{
    QTextCursor cursor = textCursor();
    const int column = cursor.positionInBlock();
    if (cursor.hasSelection() || column == 0)
        return false;
    const QString before = cursor.block().text().left(column);
    if (leadingSpaces(before) != column || before.contains(u'\t'))
        return false;
    // Within the indentation, one press removes one level, as Tab added one.
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor,
                        (column - 1) % indentWidth() + 1);
    cursor.removeSelectedText();
    setTextCursor(cursor);
    return true;
}

} // namespace Gatehouse
