// FindBar: matches are computed once per query/text change over the whole document and reused for
// moving, counting, highlighting and replacing.
#include "findbar.h"

#include "codeeditor.h"

#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>

namespace Gatehouse {

namespace {

QToolButton *toggle(const QString &text, const QString &toolTip)
{
    auto *button = new QToolButton;
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setAutoRaise(true);
    return button;
}

QToolButton *button(const QString &text, const QString &toolTip)
{
    auto *b = new QToolButton;
    b->setText(text);
    b->setToolTip(toolTip);
    b->setAutoRaise(true);
    return b;
}

} // namespace

FindBar::FindBar(CodeEditor *editor)
    : QWidget(editor)
    , m_editor(editor)
    , m_find(new QLineEdit)
    , m_replace(new QLineEdit)
    , m_case(toggle(QStringLiteral("Aa"), tr("Match case")))
    , m_word(toggle(QStringLiteral("W"), tr("Whole words")))
    , m_regex(toggle(QStringLiteral(".*"),
                     tr("Regular expression (\\1 in the replacement inserts a group)")))
    , m_status(new QLabel)
    , m_replaceRow(new QWidget)
    , m_refresh(new QTimer(this))
{
    setObjectName(QStringLiteral("FindBar"));
    setAutoFillBackground(true);
    m_find->setPlaceholderText(tr("Find"));
    m_find->setClearButtonEnabled(true);
    m_replace->setPlaceholderText(tr("Replace with"));
    m_find->installEventFilter(this);
    m_status->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("9999 of 9999 · wrapped")));

    auto *previous = button(QStringLiteral("↑"), tr("Previous match (Shift+F3)"));
    auto *next = button(QStringLiteral("↓"), tr("Next match (F3)"));
    auto *closeButton = button(QStringLiteral("✕"), tr("Close (Esc)"));
    auto *replaceOne = new QPushButton(tr("Replace"));
    auto *replaceEvery = new QPushButton(tr("Replace All"));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 3, 6, 3);
    grid->setVerticalSpacing(3);
    grid->addWidget(m_find, 0, 0);
    auto *tools = new QHBoxLayout;
    tools->setSpacing(2);
    for (QWidget *w : {static_cast<QWidget *>(m_case), static_cast<QWidget *>(m_word),
                       static_cast<QWidget *>(m_regex), static_cast<QWidget *>(previous),
                       static_cast<QWidget *>(next)})
        tools->addWidget(w);
    tools->addWidget(m_status);
    tools->addWidget(closeButton);
    grid->addLayout(tools, 0, 1);
    auto *replaceLayout = new QHBoxLayout(m_replaceRow);
    replaceLayout->setContentsMargins(0, 0, 0, 0);
    replaceLayout->addWidget(replaceOne);
    replaceLayout->addWidget(replaceEvery);
    grid->addWidget(m_replace, 1, 0);
    grid->addWidget(m_replaceRow, 1, 1, Qt::AlignLeft);
    // The query takes the room; the toggles and the count keep their natural width on the right.
    grid->setColumnStretch(0, 1);
    m_find->setMinimumWidth(fontMetrics().horizontalAdvance(u'x') * 16);

    m_refresh->setSingleShot(true);
    m_refresh->setInterval(120);
    connect(m_refresh, &QTimer::timeout, this, &FindBar::updateStatus);
    connect(m_find, &QLineEdit::textEdited, this, &FindBar::searchIncrementally);
    connect(m_find, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(m_replace, &QLineEdit::returnPressed, this, &FindBar::replaceCurrent);
    for (QToolButton *t : {m_case, m_word, m_regex})
        connect(t, &QToolButton::toggled, this, &FindBar::searchIncrementally);
    connect(previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(closeButton, &QToolButton::clicked, this, &FindBar::close);
    connect(replaceOne, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(replaceEvery, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(editor->document(), &QTextDocument::contentsChanged, this, [this] {
        m_dirty = true;
        if (isVisible())
            m_refresh->start();
    });
    connect(editor, &QPlainTextEdit::selectionChanged, this, [this] {
        if (isVisible())
            m_refresh->start();
    });
    hide();
}

void FindBar::activate(bool replace)
{
    const QTextCursor cursor = m_editor->textCursor();
    const QString selected = cursor.selectedText();
    // A selection that crosses lines holds U+2029; it makes a poor query.
    if (!selected.isEmpty() && !selected.contains(QChar::ParagraphSeparator))
        setFindText(selected);
    m_replaceRow->setVisible(replace);
    m_replace->setVisible(replace);
    show();
    m_editor->updatePanels();
    m_find->setFocus();
    m_find->selectAll();
    updateStatus();
}

void FindBar::close()
{
    hide();
    m_editor->setFindMatches({});
    m_editor->updatePanels();
    m_editor->setFocus();
}

void FindBar::setFindText(const QString &text)
{
    m_find->setText(text);
    invalidate();
}

QString FindBar::findText() const { return m_find->text(); }

void FindBar::setReplaceText(const QString &text) { m_replace->setText(text); }

void FindBar::setOptions(const FindOptions &options)
{
    const QSignalBlocker b1(m_case), b2(m_word), b3(m_regex);
    m_case->setChecked(options.caseSensitive);
    m_word->setChecked(options.wholeWords);
    m_regex->setChecked(options.regex);
    invalidate();
}

FindOptions FindBar::options() const
{
    return {m_case->isChecked(), m_word->isChecked(), m_regex->isChecked()};
}

bool FindBar::isReplaceShown() const { return m_replaceRow->isVisibleTo(this); }

void FindBar::invalidate()
{
    m_dirty = true;
    m_replacedMessage.clear();
    updateStatus();
}

void FindBar::ensureMatches() const
{
    if (!m_dirty)
        return;
    const QRegularExpression pattern = findPattern(m_find->text(), options());
    m_error = pattern.isValid() ? QString() : pattern.errorString();
    m_matches = findAll(m_editor->toPlainText(), pattern);
    m_dirty = false;
}

int FindBar::matchCount() const
{
    ensureMatches();
    return int(m_matches.size());
}

int FindBar::currentMatch() const
{
    ensureMatches();
    const QTextCursor cursor = m_editor->textCursor();
    const TextMatch selected{
        cursor.selectionStart(), cursor.selectionEnd() - cursor.selectionStart(), {}};
    const qsizetype index = m_matches.indexOf(selected);
    return index < 0 ? 0 : int(index) + 1;
}

QString FindBar::statusText() const
{
    ensureMatches();
    if (!m_error.isEmpty())
        return tr("bad regex: %1").arg(m_error);
    if (!m_replacedMessage.isEmpty())
        return m_replacedMessage;
    if (m_find->text().isEmpty())
        return {};
    if (m_matches.isEmpty())
        return tr("no matches");
    const int current = currentMatch();
    QString text = current > 0 ? tr("%1 of %2").arg(current).arg(m_matches.size())
                               : tr("%n match(es)", nullptr, int(m_matches.size()));
    if (m_wrapped)
        text += tr(" · wrapped");
    return text;
}

void FindBar::updateStatus()
{
    ensureMatches();
    m_status->setText(statusText());
    const bool bad = !m_error.isEmpty() || (!m_find->text().isEmpty() && m_matches.isEmpty());
    m_find->setStyleSheet(bad ? QStringLiteral("color: %1").arg(m_editor->theme().error.name())
                              : QString());
    if (isVisible())
        m_editor->setFindMatches(m_matches);
}

void FindBar::selectMatch(qsizetype index)
{
    const TextMatch &match = m_matches.at(index);
    QTextCursor cursor = m_editor->textCursor();
    cursor.setPosition(int(match.start));
    cursor.setPosition(int(match.end()), QTextCursor::KeepAnchor);
    m_editor->setTextCursor(cursor);
    m_editor->centerCursor();
}

bool FindBar::findNext()
{
    ensureMatches();
    m_replacedMessage.clear();
    const QTextCursor cursor = m_editor->textCursor();
    const qsizetype index = nextMatchIndex(m_matches, cursor.selectionEnd());
    if (index < 0) {
        updateStatus();
        return false;
    }
    m_wrapped = m_matches[index].start < cursor.selectionEnd();
    selectMatch(index);
    updateStatus();
    return true;
}

bool FindBar::findPrevious()
{
    ensureMatches();
    m_replacedMessage.clear();
    const QTextCursor cursor = m_editor->textCursor();
    const qsizetype index = previousMatchIndex(m_matches, cursor.selectionStart());
    if (index < 0) {
        updateStatus();
        return false;
    }
    m_wrapped = m_matches[index].end() > cursor.selectionStart();
    selectMatch(index);
    updateStatus();
    return true;
}

void FindBar::searchIncrementally()
{
    invalidate();
    ensureMatches();
    // Searching from the start of the selection keeps the current match while the query grows.
    const QTextCursor cursor = m_editor->textCursor();
    const qsizetype index = nextMatchIndex(m_matches, cursor.selectionStart());
    m_wrapped = false;
    if (index >= 0) {
        m_wrapped = m_matches[index].start < cursor.selectionStart();
        selectMatch(index);
    }
    updateStatus();
}

bool FindBar::replaceCurrent()
{
    const int current = currentMatch();
    if (current == 0)
        return findNext();
    const TextMatch match = m_matches.at(current - 1);
    QTextCursor cursor = m_editor->textCursor();
    cursor.insertText(expandReplacement(m_replace->text(), match, options().regex));
    m_editor->setTextCursor(cursor);
    m_dirty = true;
    findNext();
    return true;
}

int FindBar::replaceAll()
{
    ensureMatches();
    const QList<TextMatch> matches = m_matches;
    if (matches.isEmpty())
        return 0;
    const bool regex = options().regex;
    QTextCursor cursor(m_editor->document());
    cursor.beginEditBlock();
    // Back to front, so the positions of the matches not yet replaced stay valid.
    for (qsizetype i = matches.size() - 1; i >= 0; --i) {
        cursor.setPosition(int(matches[i].start));
        cursor.setPosition(int(matches[i].end()), QTextCursor::KeepAnchor);
        cursor.insertText(expandReplacement(m_replace->text(), matches[i], regex));
    }
    cursor.endEditBlock();
    m_dirty = true;
    m_wrapped = false;
    updateStatus();
    m_replacedMessage = tr("replaced %n", nullptr, int(matches.size()));
    m_status->setText(m_replacedMessage);
    return int(matches.size());
}

void FindBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape)
        close();
    // Keys the fields leave alone (Return after returnPressed, for one) must not reach the editor
    // behind the bar, which would type them into the text.
    event->accept();
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    // Shift+Enter in the query goes backwards, as in browsers and Qt Creator.
    if (watched == m_find && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && key->modifiers().testFlag(Qt::ShiftModifier)) {
            findPrevious();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace Gatehouse
