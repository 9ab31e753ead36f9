// Test helpers shared by the metrics tests: run `promtool check metrics` and the python3
// prometheus_client parser (metrics_parse.py) on an exposition, and find samples in the result.
#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>

namespace Gatehouse::Test {

inline const QString kPromtool = QStringLiteral("/usr/bin/promtool");
inline const QString kPython = QStringLiteral("/usr/bin/python3");

inline QString metricsParseScript()
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/tests/gatewaycore/telemetry/metrics_parse.py");
}

// Both tools are Debian packages (prometheus, python3-prometheus-client): tests skip without them.
inline bool havePromtool()
{
    return QFile::exists(kPromtool);
}
inline bool havePythonClient()
{
    QProcess p;
    p.start(kPython, {QStringLiteral("-c"), QStringLiteral("import prometheus_client")});
    return p.waitForFinished(30'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

struct ToolResult
{
    bool ok = false;
    QByteArray out;
    QByteArray err;
};

inline ToolResult runTool(const QString &program, const QStringList &arguments, const QByteArray &input)
{
    QProcess p;
    p.start(program, arguments);
    ToolResult r;
    if (!p.waitForStarted(10'000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(60'000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    return r;
}

// `promtool check metrics` (the text format linter Prometheus ships): ok, or its complaints.
inline ToolResult promtoolCheck(const QByteArray &exposition)
{
    return runTool(kPromtool, {QStringLiteral("check"), QStringLiteral("metrics")}, exposition);
}

// The families as prometheus_client parsed them; ok false with the parser's reason in err.
inline ToolResult pythonParse(const QByteArray &exposition, bool openMetrics)
{
    return runTool(kPython, {metricsParseScript(), openMetrics ? QStringLiteral("openmetrics") : QStringLiteral("text")},
                   exposition);
}

inline QJsonArray parsedFamilies(const ToolResult &r)
{
    return QJsonDocument::fromJson(r.out).object().value(QStringLiteral("families")).toArray();
}

// The value (as Python's repr of a float) of the sample `name` whose labels include `labels`;
// empty when there is none.
inline QString sampleValue(const QJsonArray &families, const QString &name, const QJsonObject &labels = {})
{
    for (const QJsonValue &f : families) {
        for (const QJsonValue &s : f.toObject().value(QStringLiteral("samples")).toArray()) {
            const QJsonObject sample = s.toObject();
            if (sample.value(QStringLiteral("name")).toString() != name)
                continue;
            const QJsonObject have = sample.value(QStringLiteral("labels")).toObject();
            bool match = true;
            for (auto it = labels.begin(); it != labels.end() && match; ++it)
                match = have.value(it.key()) == it.value();
            if (match)
                return sample.value(QStringLiteral("value")).toString();
        }
    }
    return {};
}

} // namespace Gatehouse::Test
