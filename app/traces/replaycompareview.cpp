// The Replay tab: recorded and replayed answers side by side, their differences, Explain.
#include "replaycompareview.h"

#include "traceexplain.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTextDocument>
#include <QTextEdit>
#include <QVBoxLayout>

namespace Gatehouse {

namespace {

QString statusLine(int status)
{
    return status == 0 ? ReplayCompareView::tr("no response") : QString::number(status);
}

// The status, the header lines and the body, as the two panes show them.
QString answerText(int status, const QStringList &headerLines, const QString &body)
{
    QString text = ReplayCompareView::tr("Status %1").arg(statusLine(status)) + u'\n';
    for (const QString &h : headerLines)
        text += h + u'\n';
    if (!body.isEmpty())
        text += u'\n' + body + u'\n';
    return text;
}

QString diffHtml(const QString &title, const QList<DiffLine> &lines)
{
    QString html = QStringLiteral("<p><b>%1</b></p><pre style=\"margin:0\">").arg(title.toHtmlEscaped());
    bool changed = false;
    for (const DiffLine &l : lines) {
        switch (l.kind) {
        case DiffLine::Kind::Same:
            html += QStringLiteral("  %1\n").arg(l.text.toHtmlEscaped());
            break;
        case DiffLine::Kind::Removed:
            changed = true;
            html += QStringLiteral("<span style=\"background:#ffd7d5;color:#82071e\">- %1</span>\n")
                        .arg(l.text.toHtmlEscaped());
            break;
        case DiffLine::Kind::Added:
            changed = true;
            html += QStringLiteral("<span style=\"background:#d1f8d9;color:#116329\">+ %1</span>\n")
                        .arg(l.text.toHtmlEscaped());
            break;
        }
    }
    if (!changed)
        html += ReplayCompareView::tr("(no difference)").toHtmlEscaped() + u'\n';
    return html + QStringLiteral("</pre>");
}

} // namespace

ReplayCompareView::ReplayCompareView(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel), m_explain(new QLabel), m_recordedTitle(new QLabel),
      m_replayedTitle(new QLabel), m_recorded(new QPlainTextEdit), m_replayed(new QPlainTextEdit),
      m_diff(new QTextEdit)
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (QPlainTextEdit *pane : {m_recorded, m_replayed}) {
        pane->setReadOnly(true);
        pane->setFont(fixed);
        pane->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_diff->setReadOnly(true);
    m_diff->setFont(fixed);
    m_diff->setLineWrapMode(QTextEdit::NoWrap);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explain->setWordWrap(true);
    m_explain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recordedTitle->setText(tr("Recorded"));
    m_replayedTitle->setText(tr("Replayed now"));

    auto column = [](QLabel *title, QWidget *pane) {
        auto *w = new QWidget;
        auto *l = new QVBoxLayout(w);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(title);
        l->addWidget(pane, 1);
        return w;
    };
    auto *sides = new QSplitter(Qt::Horizontal);
    sides->addWidget(column(m_recordedTitle, m_recorded));
    sides->addWidget(column(m_replayedTitle, m_replayed));
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(sides);
    split->addWidget(m_diff);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_summary);
    layout->addWidget(m_explain);
    layout->addWidget(split, 1);
    showMessage(tr("Select a captured request and press Replay: it is sent again to the running "
                   "gateway, with its current configuration, and both answers are compared here."));
}

void ReplayCompareView::clearCompare()
{
    m_headerDiff.clear();
    m_bodyDiff.clear();
    m_recorded->clear();
    m_replayed->clear();
    m_diff->clear();
    m_explain->clear();
    m_explain->hide();
}

void ReplayCompareView::showMessage(const QString &text)
{
    clearCompare();
    m_summary->setText(text.toHtmlEscaped());
}

void ReplayCompareView::showRunning(const TraceRecord &recorded)
{
    clearCompare();
    m_summary->setText(tr("Replaying %1 %2…")
                           .arg(QString::fromUtf8(recorded.method), QString::fromUtf8(recorded.target))
                           .toHtmlEscaped());
}

void ReplayCompareView::showOutcome(const TraceRecord &recorded, const ReplayOutcome &outcome)
{
    clearCompare();
    const TraceCapture &c = recorded.capture;
    const QString request = QStringLiteral("%1 %2").arg(QString::fromUtf8(recorded.method),
                                                         QString::fromUtf8(recorded.target));
    if (!outcome.ok) {
        m_summary->setText(tr("%1: the replay got no answer: %2").arg(request, outcome.error).toHtmlEscaped());
        return;
    }
    m_summary->setText(QStringLiteral("<b>%1</b> &nbsp; %2")
                           .arg(tr("Status %1 → %2").arg(statusLine(recorded.status)).arg(outcome.status).toHtmlEscaped(),
                                request.toHtmlEscaped()));

    const QStringList beforeHeaders = ReplayDiff::headerLines(c.responseHeaders);
    const QStringList afterHeaders = ReplayDiff::headerLines(outcome.headers);
    QString beforeBody = ReplayDiff::bodyText(c.responseBody.bytes, fieldValue(c.responseHeaders, "content-type"));
    if (c.responseBody.truncated()) {
        beforeBody += u'\n' + tr("(captured %1 of %2 bytes)").arg(c.responseBody.bytes.size()).arg(c.responseBody.totalBytes);
    }
    const QString afterBody = ReplayDiff::bodyText(outcome.body, fieldValue(outcome.headers, "content-type"));
    m_recorded->setPlainText(answerText(recorded.status, beforeHeaders, beforeBody));
    m_replayed->setPlainText(answerText(outcome.status, afterHeaders, afterBody));

    m_headerDiff = ReplayDiff::lines(beforeHeaders, afterHeaders);
    m_bodyDiff = ReplayDiff::lines(beforeBody.split(u'\n', Qt::SkipEmptyParts),
                                   afterBody.split(u'\n', Qt::SkipEmptyParts));
    QList<DiffLine> status;
    if (recorded.status != outcome.status) {
        status.append({DiffLine::Kind::Removed, statusLine(recorded.status)});
        status.append({DiffLine::Kind::Added, QString::number(outcome.status)});
    } else {
        status.append({DiffLine::Kind::Same, QString::number(outcome.status)});
    }
    m_diff->setHtml(diffHtml(tr("Status"), status) + diffHtml(tr("Headers"), m_headerDiff)
                    + diffHtml(tr("Body"), m_bodyDiff));

    QStringList explain;
    if (outcome.traceArrived()) {
        explain = TraceExplainer::explain(outcome.trace);
    } else {
        explain.append(tr("The new request's trace did not arrive (is tracing off in gatehouse.yaml?): no "
                          "explanation."));
    }
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(explain.value(0).toHtmlEscaped());
    for (qsizetype i = 1; i < explain.size(); ++i)
        html += QStringLiteral("<p>%1</p>").arg(explain.at(i).toHtmlEscaped());
    m_explain->setText(html);
    m_explain->show();
}

QString ReplayCompareView::summaryText() const
{
    QTextDocument doc;
    doc.setHtml(m_summary->text());
    return doc.toPlainText().simplified();
}

QString ReplayCompareView::explainText() const
{
    QTextDocument doc;
    doc.setHtml(m_explain->text());
    return doc.toPlainText().trimmed();
}

} // namespace Gatehouse
