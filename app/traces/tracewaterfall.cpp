// TraceWaterfall: rows from the record's spans, painted with QPainter.
#include "tracewaterfall.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

namespace Gatehouse {

namespace {

constexpr int kRowHeight = 22;
constexpr int kAxisHeight = 22;
constexpr int kIndent = 12;
constexpr int kMargin = 6;

} // namespace

QColor phaseColor(Phase phase)
{
    switch (phase) {
    case Phase::Cors: return QColor(0x7f, 0x7f, 0x7f);
    case Phase::Authn: return QColor(0x1f, 0x77, 0xb4);
    case Phase::Authz: return QColor(0x17, 0xbe, 0xcf);
    case Phase::RateLimit: return QColor(0xff, 0x7f, 0x0e);
    case Phase::Validate: return QColor(0xbc, 0xbd, 0x22);
    case Phase::Interceptor: return QColor(0xe3, 0x77, 0xc2);
    case Phase::Upstream: return QColor(0x94, 0x67, 0xbd);
    case Phase::Respond: return QColor(0x8c, 0x56, 0x4b);
    }
    return Qt::gray;
}

QString formatDurationNs(qint64 ns)
{
    if (ns < 1'000'000)
        return TraceWaterfall::tr("%1 µs").arg(ns / 1000);
    if (ns < 1'000'000'000)
        return TraceWaterfall::tr("%1 ms").arg(double(ns) / 1e6, 0, 'f', ns < 10'000'000 ? 2 : 1);
    return TraceWaterfall::tr("%1 s").arg(double(ns) / 1e9, 0, 'f', 2);
}

TraceWaterfall::TraceWaterfall(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void TraceWaterfall::setRecord(const TraceRecord &record)
{
    m_record = record;
    layoutRows();
    updateGeometry();
    update();
}

void TraceWaterfall::clear()
{
    m_record.reset();
    m_rows.clear();
    updateGeometry();
    update();
}

void TraceWaterfall::layoutRows()
{
    m_rows.clear();
    if (!m_record)
        return;
    const TraceRecord &r = *m_record;
    Row request;
    request.label = QStringLiteral("%1 %2").arg(QString::fromUtf8(r.method), QString::fromUtf8(r.route.isEmpty() ? r.target : r.route));
    request.durationNs = r.durationNs;
    request.color = palette().color(QPalette::Highlight);
    request.error = r.status == 0 || r.status >= 500;
    m_rows.append(request);
    for (qsizetype i = 0; i < r.spans.size(); ++i) {
        const TraceSpanRecord &s = r.spans.at(i);
        Row row;
        row.label = QString::fromUtf8(s.name);
        int depth = 1;
        for (int p = s.parent; p >= 0 && p < r.spans.size() && depth < 8; p = r.spans.at(p).parent)
            ++depth;   // bounded: a malformed parent chain cannot loop
        row.depth = depth;
        row.startNs = qMax<qint64>(0, s.startOffsetNs);
        row.durationNs = qMax<qint64>(0, s.durationNs);
        row.color = phaseColor(s.phase);
        row.error = s.error;
        m_rows.append(row);
    }
}

int TraceWaterfall::rowCount() const
{
    return int(m_rows.size());
}

qint64 TraceWaterfall::spanNs() const
{
    qint64 end = 1;
    for (const Row &row : m_rows)
        end = qMax(end, row.startNs + row.durationNs);
    return end;
}

int TraceWaterfall::labelWidth() const
{
    int widest = 80;
    for (const Row &row : m_rows)
        widest = qMax(widest, fontMetrics().horizontalAdvance(row.label) + row.depth * kIndent);
    return qMin(widest + 2 * kMargin, qMax(120, width() / 3));
}

QRect TraceWaterfall::barRect(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows.at(row);
    const int left = labelWidth();
    const int right = width() - kMargin - fontMetrics().horizontalAdvance(QStringLiteral("000.00 ms")) - kMargin;
    const double scale = double(qMax(10, right - left)) / double(spanNs());
    const int x = left + int(std::floor(double(r.startNs) * scale));
    const int w = qMax(2, int(std::ceil(double(r.durationNs) * scale)));
    return QRect(x, kAxisHeight + row * kRowHeight + 4, w, kRowHeight - 8);
}

QString TraceWaterfall::rowLabel(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).label : QString();
}

QSize TraceWaterfall::sizeHint() const
{
    return QSize(480, kAxisHeight + qMax(3, int(m_rows.size())) * kRowHeight + kMargin);
}

QSize TraceWaterfall::minimumSizeHint() const
{
    return QSize(240, kAxisHeight + qMax(1, int(m_rows.size())) * kRowHeight + kMargin);
}

void TraceWaterfall::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette pal = palette();
    if (!m_record) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Select a request to see its spans"));
        return;
    }
    const int left = labelWidth();
    const int right = width() - kMargin - fontMetrics().horizontalAdvance(QStringLiteral("000.00 ms")) - kMargin;
    const qint64 total = spanNs();
    // Time axis: five ticks from 0 to the end of the last span.
    p.setPen(pal.color(QPalette::Mid));
    for (int t = 0; t <= 4; ++t) {
        const int x = left + (right - left) * t / 4;
        p.drawLine(x, kAxisHeight - 4, x, height());
        p.setPen(pal.color(QPalette::Text));
        const QString text = formatDurationNs(total * t / 4);
        const int w = fontMetrics().horizontalAdvance(text);
        p.drawText(qMin(x - w / 2, width() - w - kMargin), kAxisHeight - 8, text);
        p.setPen(pal.color(QPalette::Mid));
    }
    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows.at(i);
        const int y = kAxisHeight + i * kRowHeight;
        if (i % 2 == 1)
            p.fillRect(0, y, width(), kRowHeight, pal.color(QPalette::AlternateBase));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(kMargin + row.depth * kIndent, y, left - kMargin - row.depth * kIndent, kRowHeight),
                   Qt::AlignVCenter | Qt::AlignLeft, fontMetrics().elidedText(row.label, Qt::ElideRight, left - 2 * kMargin));
        const QRect bar = barRect(i);
        p.fillRect(bar, row.color);
        if (row.error) {
            p.setPen(QPen(QColor(0xd6, 0x27, 0x28), 2));
            p.drawRect(bar.adjusted(0, 0, -1, -1));
        }
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(bar.right() + 4, y, width() - bar.right() - 4, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   formatDurationNs(row.durationNs));
    }
}

int TraceWaterfall::rowAt(const QPoint &pos) const
{
    const int row = (pos.y() - kAxisHeight) / kRowHeight;
    return pos.y() >= kAxisHeight && row < m_rows.size() ? row : -1;
}

bool TraceWaterfall::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = rowAt(help->pos());
        if (row >= 0) {
            const Row &r = m_rows.at(row);
            QToolTip::showText(help->globalPos(), tr("%1\nstarts at %2, takes %3%4")
                                                      .arg(r.label, formatDurationNs(r.startNs), formatDurationNs(r.durationNs),
                                                           r.error ? tr("\nfailed or answered the request") : QString()),
                               this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace Gatehouse
