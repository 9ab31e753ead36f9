// GoToLineBar: a field below the text instead of a dialog, so the text stays visible while typing.
#include "gotolinebar.h"

#include "codeeditor.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTextBlock>
#include <QToolButton>

namespace Gatehouse {

std::optional<LineColumn> parseLineColumn(QStringView text)
{
    text = text.trimmed();
    const qsizetype colon = text.indexOf(u':');
    const QStringView linePart = (colon < 0 ? text : text.left(colon)).trimmed();
    const QStringView columnPart = colon < 0 ? QStringView() : text.mid(colon + 1).trimmed();
    bool ok = false;
    const int line = linePart.toInt(&ok);
    if (!ok || line < 1 || linePart.startsWith(u'+'))
        return std::nullopt;
    LineColumn result{line, 0};
    if (!columnPart.isEmpty()) {
        const int column = columnPart.toInt(&ok);
        if (!ok || column < 1 || columnPart.startsWith(u'+'))
            return std::nullopt;
        result.column = column;
    }
    return result;
}

GoToLineBar::GoToLineBar(CodeEditor *editor)
    : QWidget(editor), m_editor(editor), m_input(new QLineEdit), m_range(new QLabel)
{
    setObjectName(QStringLiteral("GoToLineBar"));
    setAutoFillBackground(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(new QLabel(tr("Go to line:")));
    m_input->setPlaceholderText(tr("line[:column]"));
    m_input->setMaximumWidth(fontMetrics().horizontalAdvance(u'9') * 18);
    layout->addWidget(m_input);
    layout->addWidget(m_range);
    layout->addStretch();
    auto *close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    close->setAutoRaise(true);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &GoToLineBar::close);
    connect(m_input, &QLineEdit::returnPressed, this, &GoToLineBar::accept);
    connect(m_input, &QLineEdit::textEdited, this, [this] { m_input->setStyleSheet({}); });
    hide();
}

void GoToLineBar::activate()
{
    const QTextCursor cursor = m_editor->textCursor();
    m_range->setText(tr("(1–%1)").arg(m_editor->blockCount()));
    m_input->setText(
        QStringLiteral("%1:%2").arg(cursor.blockNumber() + 1).arg(cursor.positionInBlock() + 1));
    m_input->setStyleSheet({});
    show();
    m_editor->updatePanels();
    m_input->setFocus();
    m_input->selectAll();
}

bool GoToLineBar::accept()
{
    const std::optional<LineColumn> target = parseLineColumn(m_input->text());
    if (!target) {
        m_input->setStyleSheet(QStringLiteral("color: %1").arg(m_editor->theme().error.name()));
        return false;
    }
    m_editor->goToLine(qMin(target->line, m_editor->blockCount()), qMax(1, target->column));
    close();
    return true;
}

void GoToLineBar::close()
{
    hide();
    m_editor->updatePanels();
    m_editor->setFocus();
}

void GoToLineBar::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape)
        close();
    // Keys the fields leave alone (Return after returnPressed, for one) must not reach the editor
    // behind the bar, which would type them into the text.
    event->accept();
}

} // namespace Gatehouse
