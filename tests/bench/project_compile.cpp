// Benchmark: load and compile a generated project of N operations; prints medians, never fails.
// Usage: bench_project_compile [-n RUNS] [OPERATIONS]   (default 1000 operations in 10 APIs)
#include "project/gatewayconfig.h"
#include "project/project.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace Gatehouse;

namespace {

double cpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

double median(QList<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v.at(v.size() / 2);
}

// APIs of 100 operations each: 25 paths x 4 methods, with parameters, security and a tier.
void writeProject(const QString &dir, int operations)
{
    QDir().mkpath(dir + QStringLiteral("/apis"));
    const int apis = std::max(1, (operations + 99) / 100);
    int left = operations;
    for (int a = 0; a < apis; ++a) {
        QByteArray y = "openapi: 3.0.3\ninfo: {title: Api" + QByteArray::number(a) + ", version: v1}\n"
                       "servers: [{url: 'http://127.0.0.1:8080/a" + QByteArray::number(a) + "'}]\n"
                       "x-gatehouse-throttling-tier: Gold\n"
                       "components:\n  securitySchemes:\n    oauth: {type: oauth2, flows: {clientCredentials: "
                       "{tokenUrl: 'https://idp/token', scopes: {read: r, write: w}}}}\n"
                       "security: [{oauth: [read]}]\npaths:\n";
        static const char *methods[] = {"get", "post", "put", "delete"};
        for (int p = 0; left > 0 && p < 25; ++p) {
            y += "  /res" + QByteArray::number(p) + "/{id}/items:\n";
            for (int m = 0; left > 0 && m < 4; ++m, --left) {
                y += QByteArray("    ") + methods[m] + ":\n      operationId: op" + QByteArray::number(a)
                     + "_" + QByteArray::number(p) + "_" + methods[m] + "\n"
                     "      parameters: [{name: id, in: path, required: true, schema: {type: integer}},"
                     " {name: limit, in: query, schema: {type: integer, maximum: 100}}]\n"
                     "      responses: {'200': {description: ok, content: {application/json: "
                     "{schema: {type: object, properties: {id: {type: integer}, name: {type: string}}}}}}}\n";
            }
        }
        QFile f(dir + QStringLiteral("/apis/api%1.yaml").arg(a, 3, 10, QLatin1Char('0')));
        if (f.open(QIODevice::WriteOnly))
            f.write(y);
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    int runs = 10, operations = 1000;
    const QStringList args = app.arguments().mid(1);
    for (qsizetype i = 0; i < args.size(); ++i) {
        if (args.at(i) == u"-n" && i + 1 < args.size())
            runs = args.at(++i).toInt();
        else
            operations = args.at(i).toInt();
    }
    QTemporaryDir dir;
    writeProject(dir.path(), operations);

    QList<double> loadWall, loadCpu, compileWall, compileCpu;
    int routes = 0;
    for (int r = 0; r < runs; ++r) {
        Diagnostics d;
        QElapsedTimer t;
        t.start();
        double c0 = cpuMs();
        const Project p = Project::load(dir.path(), d);
        loadWall.append(double(t.nsecsElapsed()) / 1e6);
        loadCpu.append(cpuMs() - c0);
        t.restart();
        c0 = cpuMs();
        const auto config = compileProject(p, d);
        compileWall.append(double(t.nsecsElapsed()) / 1e6);
        compileCpu.append(cpuMs() - c0);
        if (!config) {
            std::fprintf(stderr, "%s", qPrintable(d.toString()));
            return 1;
        }
        routes = int(config->routes.size());
    }
    std::printf("project of %d operations (%d routes), median of %d runs\n", operations, routes, runs);
    std::printf("  load     %8.1f ms wall  %8.1f ms cpu\n", median(loadWall), median(loadCpu));
    std::printf("  compile  %8.1f ms wall  %8.1f ms cpu\n", median(compileWall), median(compileCpu));
    std::printf("  total    %8.1f ms wall  (target < 200 ms for 1,000 operations)\n",
                median(loadWall) + median(compileWall));
    return 0;
}
