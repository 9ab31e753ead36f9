// UrlEdit: highlights {path parameters} in the URL so it is obvious what is left to fill in.
#include "urledit.h"

#include "tryitmodel.h"

#include <QCoreApplication>
#include <QInputMethodEvent>
#include <QKeyEvent>
#include <QPalette>
#include <QTextCharFormat>

namespace Gatehouse {

UrlEdit::UrlEdit(QWidget *parent) : QLineEdit(parent)
{
    setPlaceholderText(
        tr("http://127.0.0.1:9090/api/path — pick an operation in the project tree"));
    setToolTip(
        tr("The request URL. {Parameters} still to fill in are highlighted; Tab selects the next "
           "one."));
    setClearButtonEnabled(true);
    connect(this, &QLineEdit::textChanged, this, &UrlEdit::updateHighlight);
}

bool UrlEdit::selectNextPlaceholder(bool wrap)
{
    const auto spans = placeholderSpans(text());
    // Start after the current selection so that repeated Tabs move on instead of staying put.
    const int from = hasSelectedText() ? selectionStart() + 1 : cursorPosition();
    for (const auto &span : spans) {
        if (span.first >= from) {
            setSelection(span.first, span.second);
            return true;
        }
    }
    if (!wrap || spans.isEmpty())
        return false;
    setSelection(spans.first().first, spans.first().second);
    return true;
}

bool UrlEdit::focusNextPrevChild(bool next)
{
    // Tab visits the parameters left to fill in, then moves focus on as usual (never a trap).
    if (next && hasFocus() && selectNextPlaceholder(false))
        return true;
    return QLineEdit::focusNextPrevChild(next);
}

bool UrlEdit::event(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        updateHighlight();
    return QLineEdit::event(event);
}

void UrlEdit::updateHighlight()
{
    // QLineEdit has no rich text; formats given as input-method attributes are drawn over the
    // text without changing it (positions are relative to the cursor).
    QTextCharFormat format;
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    format.setForeground(dark ? QColor(0xff, 0xc6, 0x6d) : QColor(0xa3, 0x48, 0x00));
    format.setBackground(dark ? QColor(0x4a, 0x3b, 0x1c) : QColor(0xff, 0xef, 0xc2));
    format.setFontWeight(QFont::Bold);
    QList<QInputMethodEvent::Attribute> attributes;
    for (const auto &[start, length] : placeholderSpans(text()))
        attributes.append(
            {QInputMethodEvent::TextFormat, start - cursorPosition(), length, format});
    QInputMethodEvent ime(QString(), attributes);
    QCoreApplication::sendEvent(this, &ime);
}

} // namespace Gatehouse
