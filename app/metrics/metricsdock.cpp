// MetricsDock: QCustomPlot charts fed by MetricsHistory.
#include "metricsdock.h"

#include "base/savefile.h"
#include "engine/gatewayengine.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace Gatehouse {

namespace {

const QColor kBlue(0x1f, 0x77, 0xb4);
const QColor kOrange(0xff, 0x7f, 0x0e);
const QColor kGreen(0x2c, 0xa0, 0x2c);
const QColor kRed(0xd6, 0x27, 0x28);
const QColor kPurple(0x94, 0x67, 0xbd);
const QColor kBrown(0x8c, 0x56, 0x4b);
const QColor kPink(0xe3, 0x77, 0xc2);
const QColor kGrey(0x7f, 0x7f, 0x7f);
const QColor kOlive(0xbc, 0xbd, 0x22);
const QColor kCyan(0x17, 0xbe, 0xcf);

} // namespace

MetricsDock::MetricsDock(QWidget *parent)
    : QWidget(parent), m_history(new MetricsHistory(this)), m_filter(new QComboBox), m_pause(new QToolButton),
      m_live(new QToolButton), m_summary(new QLabel)
{
    m_filter->setToolTip(tr("Show one API or one operation (latency, status and rate-limit charts)"));
    m_filter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the charts; data keeps being recorded"));
    m_live->setText(tr("Live"));
    m_live->setToolTip(tr("Back to the last five minutes, following new data (zoom with the wheel, pan by dragging)"));
    auto *exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("Charts as PNG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Charts"), QStringLiteral("gatehouse-metrics.png"),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty())
            exportPng(path);
    });
    exportMenu->addAction(tr("Data as CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Metrics"), QStringLiteral("gatehouse-metrics.csv"),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });
    exportButton->setMenu(exportMenu);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:")));
    bar->addWidget(m_filter);
    bar->addWidget(m_pause);
    bar->addWidget(m_live);
    bar->addWidget(exportButton);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);

    auto *grid = new QGridLayout;
    grid->setSpacing(2);
    QCustomPlot *traffic = addPlot(tr("Traffic"), tr("req/s"));
    addGraph(traffic, MetricsHistory::RequestsPerSecond, kBlue);
    addGraph(traffic, MetricsHistory::ErrorsPerSecond, kRed);
    addGraph(traffic, MetricsHistory::RateLimitedPerSecond, kOrange);
    addGraph(traffic, MetricsHistory::AuthFailuresPerSecond, kPurple);
    QCustomPlot *latency = addPlot(tr("Latency"), tr("ms"));
    addGraph(latency, MetricsHistory::P50Ms, kGreen);
    addGraph(latency, MetricsHistory::P95Ms, kOrange);
    addGraph(latency, MetricsHistory::P99Ms, kRed);
    QCustomPlot *status = addPlot(tr("Responses by status class"), tr("req/s"));
    const QColor classColors[] = {kGrey, kGreen, kCyan, kOrange, kRed};
    // Stacked as filled step graphs, each filling down to the one below: five polygons instead
    // of a bar per second and class (the bars cost ten times the other charts to paint).
    QCPGraph *below = nullptr;
    for (int c = 0; c < 5; ++c) {
        QCPGraph *layer = status->addGraph();
        layer->setName(MetricsHistory::columnName(MetricsHistory::Status1xx + c));
        layer->setLineStyle(QCPGraph::lsStepCenter);
        layer->setPen(QPen(classColors[c].darker(115), 1));
        layer->setBrush(classColors[c]);
        layer->setChannelFillGraph(below);   // nullptr: down to zero
        below = layer;
        m_stack.append({layer, MetricsHistory::Status1xx + c});
    }
    QCustomPlot *phases = addPlot(tr("Time per phase (mean, all APIs)"), tr("ms"));
    const QColor phaseColors[] = {kGrey, kBlue, kCyan, kOrange, kOlive, kPink, kPurple, kBrown};
    for (int p = 0; p < kPhaseCount; ++p)
        addGraph(phases, MetricsHistory::FirstPhase + p, phaseColors[p % 8]);
    grid->addWidget(traffic, 0, 0);
    grid->addWidget(latency, 0, 1);
    grid->addWidget(status, 1, 0);
    grid->addWidget(phases, 1, 1);

    // The charts scroll when the dock is smaller than they can be: the dock never makes the main
    // window taller than a laptop's screen.
    auto *charts = new QWidget;
    charts->setLayout(grid);
    auto *scroll = new QScrollArea;
    scroll->setWidget(charts);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(scroll, 1);

    connect(m_history, &MetricsHistory::rowsInserted, this, [this] {
        if (!m_paused)
            replot();
    });
    connect(m_history, &MetricsHistory::modelReset, this, &MetricsDock::replot);
    connect(m_history, &MetricsHistory::dataChanged, this, &MetricsDock::replot);
    connect(m_history, &MetricsHistory::operationsChanged, this, &MetricsDock::rebuildFilterBox);
    connect(m_filter, &QComboBox::activated, this, &MetricsDock::applyFilter);
    connect(m_pause, &QToolButton::toggled, this, &MetricsDock::setPaused);
    connect(m_live, &QToolButton::clicked, this, &MetricsDock::followLive);
    rebuildFilterBox();
    replot();
}

QCustomPlot *MetricsDock::addPlot(const QString &title, const QString &unit)
{
    auto *plot = new QCustomPlot;
    plot->setMinimumSize(220, 150);
    plot->setNoAntialiasingOnDrag(true);
    plot->plotLayout()->insertRow(0);
    auto *titleElement = new QCPTextElement(plot, title, QFont(font().family(), font().pointSize(), QFont::Bold));
    plot->plotLayout()->addElement(0, 0, titleElement);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    ticker->setTickCount(4);
    plot->xAxis->setTicker(ticker);
    plot->yAxis->setLabel(unit);
    plot->yAxis->setRangeLower(0);
    // The legend as one wrapped row under the chart, never over the data.
    plot->legend->setVisible(true);
    plot->axisRect()->insetLayout()->take(plot->legend);
    auto *legendRow = new QCPLayoutGrid;
    plot->plotLayout()->addElement(2, 0, legendRow);
    legendRow->setMargins(QMargins(4, 0, 4, 2));
    legendRow->addElement(0, 0, plot->legend);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(4);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setRowSpacing(0);
    plot->legend->setColumnSpacing(6);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    plot->legend->setFont(legendFont);
    plot->legend->setIconSize(14, 8);
    plot->plotLayout()->setRowStretchFactor(2, 0.001);
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    // One time axis for all charts: a drag or zoom in one moves the others.
    connect(plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            [this, plot](const QCPRange &range) {
                if (m_syncing)
                    return;
                m_syncing = true;
                for (QCustomPlot *other : std::as_const(m_plots)) {
                    if (other != plot) {
                        other->xAxis->setRange(range);
                        other->replot(QCustomPlot::rpQueuedReplot);
                    }
                }
                m_syncing = false;
            });
    connect(plot, &QCustomPlot::mousePress, this, &MetricsDock::userMovedView);
    connect(plot, &QCustomPlot::mouseWheel, this, &MetricsDock::userMovedView);
    m_plots.append(plot);
    return plot;
}

QCPGraph *MetricsDock::addGraph(QCustomPlot *plot, int column, const QColor &color)
{
    QCPGraph *graph = plot->addGraph();
    graph->setName(MetricsHistory::columnName(column));
    graph->setPen(QPen(color, 1.5));
    graph->setAdaptiveSampling(true);
    m_graphs.append({graph, column});
    return graph;
}

void MetricsDock::setEngine(GatewayEngine *engine)
{
    if (m_engine)
        disconnect(m_engine, nullptr, this, nullptr);
    m_engine = engine;
    if (!engine)
        return;
    connect(engine, &GatewayEngine::metricsSnapshot, m_history, &MetricsHistory::addSnapshot);
    connect(engine, &GatewayEngine::stateChanged, this, [this](GatewayEngine::State state) {
        if (state == GatewayEngine::State::Running)
            m_history->startRun();
    });
    if (engine->state() == GatewayEngine::State::Running)
        m_history->startRun();
}

void MetricsDock::rebuildFilterBox()
{
    const QVariant current = m_filter->currentData();
    m_filter->clear();
    m_filter->addItem(tr("All requests"), QStringList());
    const QList<MetricsHistory::Operation> operations = m_history->operations();
    for (const QString &api : m_history->apis()) {
        m_filter->addItem(tr("API %1").arg(api), QStringList{api});
        for (const MetricsHistory::Operation &op : operations) {
            if (op.api == api)
                m_filter->addItem(QStringLiteral("    %1").arg(op.label()), QStringList{api, op.method, op.route});
        }
    }
    const int index = m_filter->findData(current);
    m_filter->setCurrentIndex(index >= 0 ? index : 0);
}

void MetricsDock::applyFilter()
{
    const QStringList parts = m_filter->currentData().toStringList();
    MetricsHistory::Filter filter;
    filter.api = parts.value(0);
    filter.method = parts.value(1);
    filter.route = parts.value(2);
    m_history->setFilter(filter);
}

void MetricsDock::setPaused(bool paused)
{
    m_paused = paused;
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    if (!paused)
        replot();
}

void MetricsDock::followLive()
{
    m_follow = true;
    replot();
}

void MetricsDock::userMovedView()
{
    m_follow = false;
}

int MetricsDock::plottedPoints() const
{
    return m_graphs.isEmpty() ? 0 : m_graphs.first().first->dataCount();
}

void MetricsDock::replot()
{
    const int rows = m_history->rowCount();
    QVector<double> keys(rows);
    for (int r = 0; r < rows; ++r)
        keys[r] = double(m_history->timeMs(r)) / 1000.0;
    for (const auto &[graph, column] : std::as_const(m_graphs)) {
        QVector<double> values(rows);
        for (int r = 0; r < rows; ++r)
            values[r] = m_history->value(r, column);   // NaN leaves a gap
        graph->setData(keys, values, true);
    }
    QVector<double> stacked(rows, 0.0);   // each layer's top: the classes below it and itself
    for (const auto &[layer, column] : std::as_const(m_stack)) {
        for (int r = 0; r < rows; ++r) {
            const double v = m_history->value(r, column);
            stacked[r] += std::isnan(v) ? 0 : v;
        }
        layer->setData(keys, stacked, true);
    }
    const double last = rows > 0 ? keys.last() : double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    // The live view grows with the data from one minute up to m_windowSeconds.
    const double window = rows > 0 ? qBound(60.0, last - keys.first(), m_windowSeconds) : 60.0;
    for (QCustomPlot *plot : std::as_const(m_plots)) {
        bool found = false;
        QCPRange values;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            bool ok = false;
            QCPRange r = plot->plottable(i)->getValueRange(ok, QCP::sdBoth);
            if (ok)
                values = found ? QCPRange(qMin(values.lower, r.lower), qMax(values.upper, r.upper)) : r;
            found = found || ok;
        }
        plot->yAxis->setRange(0, found && values.upper > 0 ? values.upper * 1.15 : 1.0);
        if (m_follow) {
            m_syncing = true;
            plot->xAxis->setRange(last - window, last + 2);
            m_syncing = false;
        }
        if (isVisible())   // hidden behind another dock: drawn when shown
            plot->replot(QCustomPlot::rpQueuedReplot);
    }
    if (rows > 0) {
        const int r = rows - 1;
        auto fmt = [](double v, int decimals) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'f', decimals); };
        m_summary->setText(tr("%1 req/s · p50 %2 ms · p95 %3 ms · p99 %4 ms · %5 connections")
                               .arg(fmt(m_history->value(r, MetricsHistory::RequestsPerSecond), 1),
                                    fmt(m_history->value(r, MetricsHistory::P50Ms), 2),
                                    fmt(m_history->value(r, MetricsHistory::P95Ms), 2),
                                    fmt(m_history->value(r, MetricsHistory::P99Ms), 2))
                               .arg(qint64(m_history->value(r, MetricsHistory::ActiveConnections))));
    } else {
        m_summary->setText(tr("Waiting for the gateway: charts fill once it runs"));
    }
}

void MetricsDock::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (QCustomPlot *plot : std::as_const(m_plots))
        plot->replot(QCustomPlot::rpQueuedReplot);
}

bool MetricsDock::exportPng(const QString &path)
{
    for (QCustomPlot *plot : std::as_const(m_plots))
        plot->replot(QCustomPlot::rpImmediateRefresh);
    return grab().save(path, "PNG");
}

bool MetricsDock::exportCsv(const QString &path)
{
    return bool(saveFile(path, m_history->toCsv()));
}

} // namespace Gatehouse
