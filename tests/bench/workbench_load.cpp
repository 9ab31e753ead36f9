// Whether the workbench stays responsive while its embedded gateway serves a steady load (issue 9,
// "Responsiveness"): the main window on a project whose route answers by itself (mock-response),
// every dock live (Traces fed by traceBatch, Metrics once a second), and h2load sending RATE
// requests/s for SECONDS. A 5 ms timer on the UI thread measures how late each of its ticks comes:
// a stall is the delay beyond the interval. Prints the stalls' median, p99 and max, how many
// exceeded one 16 ms frame, the share of its time the UI thread was busy (its CPU time), the RSS before and after, and what h2load achieved. Not a pass/fail test.
//   QT_QPA_PLATFORM=offscreen build/ci/tests/bench/bench_workbench_load [RATE] [SECONDS]
// Needs h2load (Debian nghttp2-client).
#include "gatewaycontroller.h"
#include "mainwindow.h"

#include "engine/gatewayengine.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

#include <unistd.h>

namespace {

bool write(const QString &path, const QByteArray &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

long rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

// CPU seconds the calling thread has used (utime + stime of /proc/thread-self/stat).
double threadCpuSeconds()
{
    QFile f(QStringLiteral("/proc/thread-self/stat"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = f.readAll();
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return 0;
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

using namespace Gatehouse;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int rate = argc > 1 ? std::max(100, atoi(argv[1])) : 10'000;
    const int seconds = argc > 2 ? std::max(2, atoi(argv[2])) : 10;
    if (QStandardPaths::findExecutable(QStringLiteral("h2load")).isEmpty()) {
        std::fprintf(stderr, "h2load not found (Debian nghttp2-client)\n");
        return 1;
    }
    QStandardPaths::setTestModeEnabled(true);   // the workbench's settings stay out of the user's

    QTemporaryDir dir;
    if (!dir.isValid()
        || !write(dir.filePath(QStringLiteral("gatehouse.yaml")),
                  "version: 1\nname: load\nlisteners: {http: {port: 0}, https: {enabled: false}, admin: {enabled: false}}\n")
        || !QDir(dir.path()).mkpath(QStringLiteral("apis"))
        || !write(dir.filePath(QStringLiteral("apis/ping.yaml")), R"(openapi: 3.0.3
info: {title: Ping, version: v1}
servers: [{url: 'http://127.0.0.1:9/ping'}]
paths:
  /hello:
    get:
      x-gatehouse-request-policies:
        - {name: mock-response, settings: {body: '{"hello":"world"}'}}
      responses: {'200': {description: ok}}
)")) {
        std::fprintf(stderr, "cannot write the project\n");
        return 1;
    }

    MainWindow window;
    window.resize(1400, 900);
    window.show();
    if (!window.openProject(dir.path()) || !window.gateway()->start()) {
        std::fprintf(stderr, "the project did not open or the gateway did not start\n");
        return 1;
    }
    const quint16 port = window.gateway()->engine()->httpPort();
    const long rssBefore = rssKb();

    constexpr int kIntervalMs = 5;
    std::vector<double> stalls;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(kIntervalMs);
    qint64 last = 0;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0)
            stalls.push_back(std::max(0.0, double(now - last) / 1e6 - kIntervalMs));
        last = now;
    });

    // h2load over HTTP/1.1: 20 clients at rate/20 requests/s each.
    const int clients = 20;
    QProcess load;
    load.setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(&load, &QProcess::finished, &app, &QApplication::quit);
    load.start(QStringLiteral("h2load"),
               {QStringLiteral("--h1"), QStringLiteral("-c"), QString::number(clients), QStringLiteral("--rps"),
                QString::number(std::max(1, rate / clients)), QStringLiteral("-D"), QString::number(seconds),
                QStringLiteral("http://127.0.0.1:%1/ping/hello").arg(port)});
    const double cpuBefore = threadCpuSeconds();
    clock.start();
    probe.start();
    app.exec();
    probe.stop();
    const double uiBusy = (threadCpuSeconds() - cpuBefore) / (double(clock.nsecsElapsed()) / 1e9);

    const QByteArray output = load.readAll();
    QByteArray achieved;
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith("finished in") || line.startsWith("requests:") || line.startsWith("status codes:"))
            achieved += "  h2load " + line.trimmed() + '\n';
    }
    const double over16 = double(std::count_if(stalls.begin(), stalls.end(), [](double s) { return s > 16; }));
    std::printf("UI-thread stalls over %d s at %d requests/s offered (%zu ticks of %d ms):\n"
                "  median %.2f ms, p99 %.2f ms, max %.2f ms; %.0f ticks late by more than 16 ms\n"
                "  the UI thread was busy %.1f %% of the time\n"
                "  RSS %ld kB before the load, %ld kB after\n%s",
                seconds, rate, stalls.size(), kIntervalMs, percentile(stalls, 0.5), percentile(stalls, 0.99),
                stalls.empty() ? 0.0 : *std::max_element(stalls.begin(), stalls.end()), over16, uiBusy * 100, rssBefore,
                rssKb(), achieved.constData());
    window.gateway()->engine()->stopAndWait();
    return 0;
}
