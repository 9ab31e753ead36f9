// CodeEditor: a QPlainTextEdit with a gutter (line numbers, diagnostic markers), bars below the
// text (find/replace, go to line), space indentation and diagnostics kept as cursors that follow
// edits.
#include "codeeditor.h"

#include "findbar.h"
#include "gotolinebar.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QMenu>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

namespace Gatehouse {

namespace {

// Rich text wrapped at ~80 columns by hand: QToolTip either runs a long plain message off the
// screen or, left to wrap rich text itself, makes a narrow column of it.
QString toolTipHtml(const QString &plain)
{
    constexpr qsizetype kColumns = 80;
    QStringList lines;
    for (const QString &diagnostic : plain.split(u'\n')) {
        const qsizetype colon = qMax(qsizetype(0), diagnostic.indexOf(QStringLiteral(": ")));
        QString html = QStringLiteral("<b>%1</b>").arg(diagnostic.left(colon).toHtmlEscaped());
        qsizetype width = colon;
        bool first = true;   // the ":" right after the severity
        for (const QString &word : diagnostic.mid(colon).split(u' ', Qt::SkipEmptyParts)) {
            const bool wrap = !first && width + 1 + word.size() > kColumns;
            if (wrap)
                html += QStringLiteral("<br>&nbsp;&nbsp;");
            else if (!first)
                html += u' ';
            first = false;
            width = wrap ? 2 + word.size() : width + 1 + word.size();
            html += word.toHtmlEscaped();
        }
        lines.append(html);
    }
    return QStringLiteral("<p style=\"white-space:pre\">") + lines.join(QStringLiteral("<br>"))
           + QStringLiteral("</p>");
}

} // namespace

class LineNumberArea : public QWidget
{
public:
    explicit LineNumberArea(CodeEditor *editor) : QWidget(editor), m_editor(editor) {}
    QSize sizeHint() const override { return {m_editor->lineNumberAreaWidth(), 0}; }

protected:
    void paintEvent(QPaintEvent *event) override { m_editor->paintLineNumbers(event); }
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::ToolTip) {
            const auto *help = static_cast<QHelpEvent *>(event);
            const QString text = m_editor->lineToolTip(m_editor->blockNumberAt(help->pos().y()));
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(help->globalPos(), toolTipHtml(text), this);
            return true;
        }
        return QWidget::event(event);
    }

private:
    CodeEditor *m_editor;
};

namespace {

bool isBlank(QChar c) { return c == u' ' || c == u'\t'; }

QColor severityColor(const EditorTheme &theme, Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return theme.error;
    case Severity::Warning:
        return theme.warning;
    case Severity::Note:
        break;
    }
    return theme.note;
}

qsizetype leadingSpaces(QStringView text)
{
    qsizetype i = 0;
    while (i < text.size() && isBlank(text[i]))
        ++i;
    return i;
}

} // namespace

TextSpan diagnosticSpan(QStringView line, int column)
{
    const int n = int(line.size());
    const int indent = int(leadingSpaces(line));
    if (column <= 0) {
        int end = n;
        while (end > indent && isBlank(line[end - 1]))
            --end;
        return {indent, end - indent};
    }
    if (n == 0)
        return {0, 0};
    int start = qMin(column - 1, n - 1);   // past the end: the line's last character
    while (start < n - 1 && isBlank(line[start]))
        ++start;
    const QChar first = line[start];
    int end = start + 1;
    if (first == u'"' || first == u'\'') {
        while (end < n && line[end] != first)
            end += line[end] == u'\\' && first == u'"' ? 2 : 1;
        end = qMin(n, end + 1);
    } else if (first != u',' && first != u'{' && first != u'[' && first != u'}' && first != u']') {
        // A token ends at a blank, a flow indicator or a key's colon; "pets:read" stays whole.
        while (end < n) {
            const QChar c = line[end];
            if (isBlank(c) || c == u',' || c == u'{' || c == u'}' || c == u'[' || c == u']')
                break;
            if (c == u':' && (end + 1 == n || isBlank(line[end + 1])))
                break;
            ++end;
        }
    }
    return {start, end - start};
}

CodeEditor::CodeEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_lineNumberArea(new LineNumberArea(this))
    , m_findBar(new FindBar(this))
    , m_goToLineBar(new GoToLineBar(this))
    , m_theme(EditorTheme::fromPalette(palette()))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(u' ') * 4);

    auto addAction = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);   // also inside the bars
        connect(action, &QAction::triggered, this, slot);
        QWidget::addAction(action);
        m_actions.append(action);
    };
    addAction(tr("&Find…"), QKeySequence(tr("Ctrl+F")), [this] { showFind(false); });
    addAction(tr("&Replace…"), QKeySequence(tr("Ctrl+H")), [this] { showFind(true); });
    addAction(tr("Find &Next"), QKeySequence(Qt::Key_F3), [this] {
        if (m_findBar->findText().isEmpty())
            showFind(false);
        else
            m_findBar->findNext();
    });
    addAction(tr("Find &Previous"), QKeySequence(Qt::SHIFT | Qt::Key_F3), [this] {
        if (m_findBar->findText().isEmpty())
            showFind(false);
        else
            m_findBar->findPrevious();
    });
    addAction(tr("&Go to Line…"), QKeySequence(tr("Ctrl+L")), [this] { showGoToLine(); });

    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeEditor::updateLineNumberAreaWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &CodeEditor::updateLineNumberArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeEditor::updateExtraSelections);
    updatePanels();
    updateExtraSelections();
}

void CodeEditor::setFilePath(const QString &absolutePath, const QString &projectDir)
{
    m_filePath = QDir::cleanPath(absolutePath);
    m_projectDir = projectDir.isEmpty() ? QString() : QDir::cleanPath(projectDir);
    const Language language = languageForFile(m_filePath);
    if (language != m_language || !m_highlighter) {
        delete m_highlighter;
        m_language = language;
        m_highlighter = createHighlighter(language, document(), m_theme);
    }
    setTabStopDistance(fontMetrics().horizontalAdvance(u' ') * indentWidth());
}

QString CodeEditor::relativeFilePath() const
{
    return m_projectDir.isEmpty() ? m_filePath : QDir(m_projectDir).relativeFilePath(m_filePath);
}

int CodeEditor::indentWidth() const
{
    if (m_indentWidth > 0)
        return m_indentWidth;
    return m_language == Language::Yaml ? 2 : 4;
}

void CodeEditor::setIndentWidth(int spaces)
{
    m_indentWidth = qMax(0, spaces);
    setTabStopDistance(fontMetrics().horizontalAdvance(u' ') * indentWidth());
}

void CodeEditor::setFontPointSize(int points)
{
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (points > 0)
        font.setPointSize(points);
    setFont(font);
}

void CodeEditor::applyTheme()
{
    m_theme = EditorTheme::fromPalette(palette());
    if (m_highlighter)
        m_highlighter->setTheme(m_theme);
    updateExtraSelections();
    m_lineNumberArea->update();
}

void CodeEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    if (event->type() == QEvent::FontChange) {   // the gutter and the tab stops scale with the font
        setTabStopDistance(fontMetrics().horizontalAdvance(u' ') * indentWidth());
        updateLineNumberAreaWidth();
    }
}

// --- Gutter -----------------------------------------------------------------------------------

int CodeEditor::lineNumberAreaWidth() const
{
    int digits = 1;
    for (int max = qMax(1, blockCount()); max >= 10; max /= 10)
        ++digits;
    // The marker column on the left, then the numbers.
    return fontMetrics().height() + 8 + fontMetrics().horizontalAdvance(u'9') * qMax(3, digits);
}

void CodeEditor::updateLineNumberAreaWidth() { updatePanels(); }

void CodeEditor::updateLineNumberArea(const QRect &rect, int dy)
{
    if (dy)
        m_lineNumberArea->scroll(0, dy);
    else
        m_lineNumberArea->update(0, rect.y(), m_lineNumberArea->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateLineNumberAreaWidth();
}

int CodeEditor::blockNumberAt(int y) const
{
    for (QTextBlock block = firstVisibleBlock(); block.isValid(); block = block.next()) {
        const QRectF r = blockBoundingGeometry(block).translated(contentOffset());
        if (y < r.bottom())
            return y >= r.top() ? block.blockNumber() : -1;
    }
    return -1;
}

void CodeEditor::paintLineNumbers(QPaintEvent *event)
{
    QPainter painter(m_lineNumberArea);
    painter.fillRect(event->rect(), m_theme.gutter);
    painter.setRenderHint(QPainter::Antialiasing);

    // The most severe diagnostic of each line decides its marker's colour.
    QHash<int, Severity> lineSeverity;
    for (const Marker &m : m_markers) {
        const int line = document()->findBlock(m.range.selectionStart()).blockNumber();
        const auto it = lineSeverity.constFind(line);
        if (it == lineSeverity.cend() || int(m.severity) < int(*it))
            lineSeverity.insert(line, m.severity);
    }

    const int lineHeight = fontMetrics().height();
    const int markerSize = qMax(6, lineHeight * 6 / 10);
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    const int current = textCursor().blockNumber();
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int number = block.blockNumber();
            if (const auto it = lineSeverity.constFind(number); it != lineSeverity.cend()) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(severityColor(m_theme, *it));
                const int x = (lineHeight + 4 - markerSize) / 2;
                painter.drawEllipse(
                    QRectF(x, top + (lineHeight - markerSize) / 2.0, markerSize, markerSize));
            }
            painter.setPen(number == current ? m_theme.gutterCurrentText : m_theme.gutterText);
            painter.drawText(0, top, m_lineNumberArea->width() - 6, lineHeight, Qt::AlignRight,
                             QString::number(number + 1));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

// --- Bars below the text ----------------------------------------------------------------------

void CodeEditor::updatePanels()
{
    int bottom = 0;
    for (QWidget *panel :
         {static_cast<QWidget *>(m_goToLineBar), static_cast<QWidget *>(m_findBar)}) {
        if (!panel->isHidden())
            bottom += panel->sizeHint().height();
    }
    setViewportMargins(lineNumberAreaWidth(), 0, 0, bottom);
    const QRect cr = contentsRect();
    const QRect vp = viewport()->geometry();
    m_lineNumberArea->setGeometry(QRect(cr.left(), vp.top(), lineNumberAreaWidth(), vp.height()));
    int y = vp.bottom() + 1;
    for (QWidget *panel :
         {static_cast<QWidget *>(m_goToLineBar), static_cast<QWidget *>(m_findBar)}) {
        if (panel->isHidden())
            continue;
        const int height = panel->sizeHint().height();
        panel->setGeometry(cr.left(), y, vp.right() - cr.left() + 1, height);
        panel->raise();
        y += height;
    }
}

void CodeEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updatePanels();
}

void CodeEditor::showFind(bool replace)
{
    m_goToLineBar->hide();
    m_findBar->activate(replace);
}

void CodeEditor::showGoToLine()
{
    m_findBar->close();
    m_goToLineBar->activate();
}

void CodeEditor::goToLine(int line, int column)
{
    const QTextBlock block = document()->findBlockByNumber(qMax(0, line - 1));
    if (!block.isValid())
        return;
    QTextCursor cursor(block);
    cursor.movePosition(QTextCursor::Right, QTextCursor::MoveAnchor,
                        qBound(0, column - 1, qMax(0, block.length() - 1)));
    setTextCursor(cursor);
    centerCursor();
    setFocus();
}

void CodeEditor::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = createStandardContextMenu(event->pos());
    menu->addSeparator();
    menu->addActions(m_actions);
    menu->exec(event->globalPos());
    delete menu;
}

// --- Extra selections: current line, find matches, diagnostics ---------------------------------

void CodeEditor::setFindMatches(const QList<TextMatch> &matches)
{
    m_findSelections.clear();
    constexpr qsizetype kMaxHighlighted = 2000;   // beyond that the count says enough
    for (qsizetype i = 0; i < qMin(matches.size(), kMaxHighlighted); ++i) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(document());
        selection.cursor.setPosition(int(matches[i].start));
        selection.cursor.setPosition(int(matches[i].end()), QTextCursor::KeepAnchor);
        selection.format.setBackground(m_theme.searchMatch);
        m_findSelections.append(selection);
    }
    updateExtraSelections();
}

void CodeEditor::updateExtraSelections()
{
    QList<QTextEdit::ExtraSelection> selections;
    if (!isReadOnly()) {
        QTextEdit::ExtraSelection line;
        line.format.setBackground(m_theme.currentLine);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = textCursor();
        line.cursor.clearSelection();
        selections.append(line);
    }
    for (const QTextEdit::ExtraSelection &match : std::as_const(m_findSelections)) {
        QTextEdit::ExtraSelection s = match;
        s.format.setBackground(m_theme.searchMatch);
        selections.append(s);
    }
    for (const Marker &marker : std::as_const(m_markers)) {
        QTextEdit::ExtraSelection s;
        s.cursor = marker.range;
        s.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        s.format.setUnderlineColor(severityColor(m_theme, marker.severity));
        s.format.setToolTip(marker.message);
        selections.append(s);
    }
    setExtraSelections(selections);
    m_lineNumberArea->update();
}

// --- Diagnostics -------------------------------------------------------------------------------

bool CodeEditor::matchesFile(const QString &file) const
{
    if (file.isEmpty() || m_filePath.isEmpty())
        return false;
    if (QDir::isAbsolutePath(file))
        return QDir::cleanPath(file) == m_filePath;
    if (!m_projectDir.isEmpty())
        return QDir::cleanPath(m_projectDir + u'/' + file) == m_filePath;
    return m_filePath == file || m_filePath.endsWith(u'/' + QDir::cleanPath(file));
}

void CodeEditor::setDiagnostics(const QList<Diagnostic> &diagnostics)
{
    m_markers.clear();
    for (const Diagnostic &d : diagnostics) {
        if (!matchesFile(d.location.file))
            continue;
        QTextBlock block = document()->findBlockByNumber(qMax(0, d.location.line - 1));
        if (!block.isValid())
            block = document()->lastBlock();
        // No line at all: the first line, whole, so the marker still shows something is wrong.
        const TextSpan span
            = diagnosticSpan(block.text(), d.location.line > 0 ? d.location.column : 0);
        Marker marker{d.severity, d.message, QTextCursor(document())};
        marker.range.setPosition(block.position() + span.start);
        marker.range.setPosition(block.position() + span.start + span.length,
                                 QTextCursor::KeepAnchor);
        m_markers.append(marker);
    }
    updateExtraSelections();
}

QString CodeEditor::diagnosticToolTip(int position) const
{
    QStringList lines;
    for (const Marker &m : m_markers) {
        if (position >= m.range.selectionStart() && position < m.range.selectionEnd())
            lines.append(severityName(m.severity) + QStringLiteral(": ") + m.message);
    }
    return lines.join(u'\n');
}

QString CodeEditor::lineToolTip(int blockNumber) const
{
    QStringList lines;
    for (const Marker &m : m_markers) {
        if (document()->findBlock(m.range.selectionStart()).blockNumber() == blockNumber)
            lines.append(severityName(m.severity) + QStringLiteral(": ") + m.message);
    }
    return lines.join(u'\n');
}

bool CodeEditor::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QTextCursor cursor = cursorForPosition(help->pos());
        int position = cursor.position();
        // cursorForPosition() gives the nearest gap between characters; the character under the
        // mouse is the one before that gap when the mouse is left of it.
        if (help->pos().x() < cursorRect(cursor).left() && cursor.positionInBlock() > 0)
            --position;
        const QString text = diagnosticToolTip(position);
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), toolTipHtml(text), viewport());
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

} // namespace Gatehouse
