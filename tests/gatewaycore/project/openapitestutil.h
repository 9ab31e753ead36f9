// Helpers shared by the OpenAPI loader tests: indented YAML in test code, corpus and data paths.
#pragma once

#include "project/openapiloader.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QString>

#include <algorithm>
#include <limits>

namespace Gatehouse::Test {

// Strips the common indentation and the first line break, so YAML can be indented like the code
// around it. Line 1 of the result is the first line after R"(.
inline QByteArray yaml(const char *text)
{
    QByteArray in(text);
    if (in.startsWith('\n'))
        in.remove(0, 1);
    QByteArrayList lines = in.split('\n');
    qsizetype indent = std::numeric_limits<qsizetype>::max();
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.trimmed().isEmpty())
            continue;
        qsizetype i = 0;
        while (i < line.size() && line[i] == ' ')
            ++i;
        indent = std::min(indent, i);
    }
    if (indent == std::numeric_limits<qsizetype>::max())
        indent = 0;
    for (QByteArray &line : lines)
        line = line.mid(std::min(indent, line.size()));
    return lines.join('\n');
}

// A minimal valid OpenAPI 3.0 head (4 lines: openapi, info, title, version) followed by `rest`.
inline QByteArray openapi30(const char *rest = "")
{
    return yaml(R"(
        openapi: 3.0.3
        info:
          title: Test
          version: '1'
    )") + yaml(rest);
}

// A minimal Swagger 2.0 head (4 lines: swagger, info, title, version) followed by `rest`.
inline QByteArray swagger20(const char *rest = "")
{
    return yaml(R"(
        swagger: '2.0'
        info:
          title: Test
          version: '1'
    )") + yaml(rest);
}

// An OpenAPI 3.1 head whose license has both an identifier and a URL, followed by `rest`.
inline QByteArray openapi31License(const char *rest = "")
{
    return yaml(R"(
        openapi: 3.1.0
        info:
          title: Test
          license: {name: MIT, identifier: MIT, url: 'https://mit.example.com'}
          version: '1'
    )") + yaml(rest);
}

inline QString corpusDir()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS") + QStringLiteral("/openapi");
}

inline QString sourceDir()
{
    return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
}

inline QString dataDir()
{
    return sourceDir() + QStringLiteral("/tests/gatewaycore/project/data/openapi");
}

// Loads text as apis/test.yaml (or `path`) of an empty project: nothing is read from disk.
inline std::optional<ApiSpec> loadText(const QByteArray &text, Diagnostics &diagnostics,
                                       const QString &path = QStringLiteral("apis/test.yaml"),
                                       const QString &projectDir = QString())
{
    return loadOpenApiText(projectDir, path, text, diagnostics);
}

// Runs one "reported" row: the text loads, and `expected` is among the lines printed.
#define GATEHOUSE_EXPECT_REPORTED(text, expected)                                                     \
    do {                                                                                              \
        Diagnostics diagnostics_;                                                                     \
        const QString path_ = (text).startsWith('{') ? QStringLiteral("apis/test.json")              \
                                                     : QStringLiteral("apis/test.yaml");             \
        QVERIFY2(Test::loadText((text), diagnostics_, path_), qPrintable(diagnostics_.toString()));  \
        QVERIFY2(Test::hasDiagnostic(diagnostics_, (expected)),                                       \
                 qPrintable(QStringLiteral("expected:\n%1\ngot:\n%2").arg((expected), diagnostics_.toString()))); \
    } while (false)

inline bool hasDiagnostic(const Diagnostics &diagnostics, const QString &line)
{
    return std::any_of(diagnostics.items().begin(), diagnostics.items().end(),
                       [&](const Diagnostic &d) { return d.toString() == line; });
}

} // namespace Gatehouse::Test
