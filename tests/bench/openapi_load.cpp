// bench_openapi_load [-n RUNS] FILE...: median and fastest time to load each OpenAPI file.
#include "project/project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Gatehouse;

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
        std::vector<double> ms;
        qsizetype operations = 0;
        int errors = 0;
        // One untimed load warms the page cache and Qt's lazily built tables.
        for (int i = 0; i <= runs; ++i) {
            Diagnostics diagnostics;
            QElapsedTimer timer;
            timer.start();
            const auto api = loadOpenApiFile(info.absolutePath(), info.fileName(), diagnostics);
            const double elapsed = double(timer.nsecsElapsed()) / 1e6;
            if (i > 0)
                ms.push_back(elapsed);
            operations = api ? api->operations.size() : -1;
            errors = diagnostics.errorCount();
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%-48s %7.1f KB  %4lld operations  %d errors  median %7.2f ms  fastest %7.2f ms  (%d runs)\n",
                    qPrintable(info.fileName()), double(info.size()) / 1024.0, qlonglong(operations), errors,
                    ms[ms.size() / 2], ms.front(), runs);
        if (!operations || errors)
            status = 1;
    }
    return status;
}
