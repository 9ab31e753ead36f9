// bench_openapi_load [-n RUNS] FILE...: time to load each OpenAPI file into the API model.
// Prints the median wall time, the median CPU time of the loading thread (stable on a busy
// machine), and the ratio to a reference measured in the same run: the bare parser alone
// (yaml-cpp YAML::Load for YAML, QJsonDocument for JSON), i.e. what any loader must pay.
#include "project/project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace Gatehouse;

namespace {

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

struct Timing
{
    double wallMs = 0;
    double cpuMs = 0;
};

// Median wall and CPU time of `runs` calls, after one untimed warm-up call.
Timing measure(int runs, const std::function<void()> &work)
{
    std::vector<double> wall, cpu;
    for (int i = 0; i <= runs; ++i) {
        QElapsedTimer timer;
        const double cpuStart = threadCpuMs();
        timer.start();
        work();
        if (i == 0)
            continue;
        wall.push_back(double(timer.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - cpuStart);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int runs = 20;
    if (args.size() >= 2 && args.first() == u"-n") {
        runs = std::max(1, args.at(1).toInt());
        args = args.mid(2);
    }
    if (args.isEmpty()) {
        std::fprintf(stderr, "usage: bench_openapi_load [-n RUNS] FILE...\n");
        return 2;
    }
    int status = 0;
    for (const QString &path : std::as_const(args)) {
        const QFileInfo info(path);
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(path), qPrintable(file.errorString()));
            return 2;
        }
        const QByteArray text = file.readAll();
        qsizetype operations = -1;
        int errors = 0;
        const Timing load = measure(runs, [&] {
            Diagnostics diagnostics;
            const auto api = loadOpenApiFile(info.absolutePath(), info.fileName(), diagnostics);
            operations = api ? api->operations.size() : -1;
            errors = diagnostics.errorCount();
        });
        const bool json = text.trimmed().startsWith('{');
        const Timing reference = measure(runs, [&] {
            if (json)
                (void)QJsonDocument::fromJson(text);
            else
                (void)YAML::Load(text.toStdString());
        });
        std::printf("%-34s %6.0f KB %4lld ops %d errors | load: median %6.1f ms wall, %6.1f ms CPU | "
                    "%s alone: %5.1f ms CPU | ratio %.2f\n",
                    qPrintable(info.fileName()), double(info.size()) / 1024.0, qlonglong(operations), errors,
                    load.wallMs, load.cpuMs, json ? "QJsonDocument" : "YAML::Load", reference.cpuMs,
                    load.cpuMs / std::max(0.001, reference.cpuMs));
        if (operations <= 0 || errors)
            status = 1;
    }
    return status;
}
