// MetricsDock: live charts of the embedded gateway (QCustomPlot) over a MetricsHistory: traffic,
// latency percentiles, status classes stacked, per-phase time; per API/operation filter; pause,
// zoom/pan, PNG and CSV export.
#pragma once

#include "metricshistory.h"

#include <QWidget>

class QCPGraph;
class QComboBox;
class QCustomPlot;
class QLabel;
class QToolButton;

namespace Gatehouse {

class GatewayEngine;

class MetricsDock : public QWidget
{
    Q_OBJECT
public:
    explicit MetricsDock(QWidget *parent = nullptr);

    // Follows `engine`'s metricsSnapshot signal; a (re)start begins a new run in the history.
    void setEngine(GatewayEngine *engine);
    MetricsHistory *history() const { return m_history; }

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Back to the live view of the last minutes after a zoom or pan.
    void followLive();
    bool isFollowing() const { return m_follow; }
    bool exportPng(const QString &path);
    bool exportCsv(const QString &path);

    QComboBox *filterBox() const { return m_filter; }
    QToolButton *pauseButton() const { return m_pause; }
    QList<QCustomPlot *> plots() const { return m_plots; }
    // Points in the requests/s graph (what the charts show now).
    int plottedPoints() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    QCustomPlot *addPlot(const QString &title, const QString &unit);
    QCPGraph *addGraph(QCustomPlot *plot, int column, const QColor &color);
    void rebuildFilterBox();
    void applyFilter();
    void replot();
    void userMovedView();
    void chooseExport();

    MetricsHistory *m_history;
    GatewayEngine *m_engine = nullptr;
    QComboBox *m_filter;
    QToolButton *m_pause;
    QToolButton *m_live;
    QLabel *m_summary;
    QList<QCustomPlot *> m_plots;
    QList<QPair<QCPGraph *, int>> m_graphs;   // graph, MetricsHistory column
    QList<QPair<QCPGraph *, int>> m_stack;    // status classes, cumulative
    bool m_paused = false;
    bool m_follow = true;
    bool m_syncing = false;
    double m_windowSeconds = 300;   // the live view's width
};

} // namespace Gatehouse
