// What the live Metrics dock costs the UI thread once a second, whatever the request rate: the
// engine's MetricsSnapshot::take over the workers' shards, MetricsHistory::addSnapshot, and the
// repaint of the four charts with a full 15-minute history. Prints milliseconds (median, p99,
// max) over many rounds; compare with the 16 ms of one frame. Not a pass/fail test.
//   QT_QPA_PLATFORM=offscreen build/ci/tests/bench/bench_workbench_charts [ROUTES] [ROUNDS]
#include "metricsdock.h"

#include "telemetry/metricsregistry.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>

using namespace Gatehouse;

namespace {

struct Timings
{
    std::vector<double> ms;
    void add(qint64 ns) { ms.push_back(double(ns) / 1e6); }
    void print(const char *what)
    {
        std::sort(ms.begin(), ms.end());
        const auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
        std::printf("%-34s median %7.3f ms   p99 %7.3f ms   max %7.3f ms\n", what, at(0.5), at(0.99), ms.back());
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int routes = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    const int rounds = argc > 2 ? std::max(10, std::atoi(argv[2])) : 300;
    const int workers = 2;

    // A registry as two workers fill it: `routes` label sets, three statuses each.
    MetricsRegistry registry(workers);
    std::vector<quint32> labels;
    for (int r = 0; r < routes; ++r)
        labels.push_back(registry.internLabels(QStringLiteral("GET"), QStringLiteral("/api/r%1/{id}").arg(r),
                                               QStringLiteral("Api%1").arg(r % 5)));
    auto traffic = [&](int second) {
        for (int w = 0; w < workers; ++w) {
            MetricsShard &shard = registry.shard(w);
            for (size_t r = 0; r < labels.size(); ++r) {
                for (int status : {200, 401, 429}) {
                    for (int i = 0; i < 3; ++i)
                        shard.observeServer(labels[r], status, 200'000 + (second * 7919 + i * 104729) % 20'000'000);
                }
            }
            for (int p = 0; p < kPhaseCount; ++p)
                shard.observePhase(Phase(p), 50'000 + p * 10'000);
        }
    };

    MetricsDock dock;
    dock.resize(1400, 760);
    dock.show();
    MetricsHistory *history = dock.history();
    history->startRun();
    // A full history first (15 minutes of seconds), fed without waiting.
    qint64 fakeNs = 0;
    auto snapshotAt = [&](int second) {
        MetricsSnapshot s = MetricsSnapshot::take(registry);
        s.monotonicNs = fakeNs += 1'000'000'000;
        s.takenAtMs = 1'700'000'000'000 + qint64(second) * 1000;
        return s;
    };
    for (int s = 0; s < MetricsHistory::kDefaultCapacity; ++s) {
        traffic(s);
        history->addSnapshot(snapshotAt(s));
    }
    QCoreApplication::processEvents();

    Timings take, add, repaint, total;
    std::vector<Timings> perPlot(size_t(dock.plots().size()));
    QElapsedTimer timer;
    for (int round = 0; round < rounds; ++round) {
        traffic(MetricsHistory::kDefaultCapacity + round);
        timer.start();
        MetricsSnapshot s = MetricsSnapshot::take(registry);
        const qint64 tookNs = timer.nsecsElapsed();
        s.monotonicNs = fakeNs += 1'000'000'000;
        s.takenAtMs = 1'700'000'000'000 + qint64(MetricsHistory::kDefaultCapacity + round) * 1000;
        timer.start();
        history->addSnapshot(s);   // model row + chart data (the dock replots on the next frame)
        const qint64 addNs = timer.nsecsElapsed();
        timer.start();
        qint64 paintNs = 0;
        for (qsizetype i = 0; i < dock.plots().size(); ++i) {
            QElapsedTimer one;
            one.start();
            dock.plots().at(i)->replot(QCustomPlot::rpImmediateRefresh);
            perPlot[size_t(i)].add(one.nsecsElapsed());
            paintNs += one.nsecsElapsed();
        }
        take.add(tookNs);
        add.add(addNs);
        repaint.add(paintNs);
        total.add(tookNs + addNs + paintNs);
    }
    std::printf("%d routes x 3 statuses, %d workers, %d rows of history, %d rounds, %d series per snapshot\n", routes,
                workers, history->rowCount(), rounds, int(MetricsSnapshot::take(registry).routes.size()));
    take.print("MetricsSnapshot::take");
    add.print("MetricsHistory::addSnapshot");
    repaint.print("replot of the four charts");
    total.print("UI thread per second, in all");
    for (size_t i = 0; i < perPlot.size(); ++i)
        perPlot[i].print(qPrintable(QStringLiteral("  replot of chart %1").arg(i + 1)));
    return 0;
}
