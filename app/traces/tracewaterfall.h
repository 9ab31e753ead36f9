// TraceWaterfall: a custom-painted timeline of one traced request: the request's own bar, then one
// bar per span (filters, upstream connect/send/first byte, respond) indented under its parent, on
// a time axis from the request's start; hover a bar for its name, start and duration.
#pragma once

#include "telemetry/tracerecord.h"

#include <QWidget>

#include <optional>

namespace Gatehouse {

class TraceWaterfall : public QWidget
{
    Q_OBJECT
public:
    explicit TraceWaterfall(QWidget *parent = nullptr);

    void setRecord(const TraceRecord &record);
    void clear();
    bool hasRecord() const { return m_record.has_value(); }
    int rowCount() const;   // the request's row and one per span
    // The bar of row `row` in widget coordinates (empty when there is none).
    QRect barRect(int row) const;
    QString rowLabel(int row) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Row
    {
        QString label;
        int depth = 0;
        qint64 startNs = 0;
        qint64 durationNs = 0;
        QColor color;
        bool error = false;
    };
    void layoutRows();
    qint64 spanNs() const;
    int labelWidth() const;
    int rowAt(const QPoint &pos) const;

    std::optional<TraceRecord> m_record;
    QList<Row> m_rows;
};

QColor phaseColor(Phase phase);
QString formatDurationNs(qint64 ns);   // "850 µs", "12.4 ms", "1.20 s"

} // namespace Gatehouse
