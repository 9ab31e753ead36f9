// Helpers shared by the gatehouse.yaml tests: write a project into a temporary folder and load it.
#pragma once

#include "project/projectsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <QTemporaryDir>

#include <initializer_list>

namespace SettingsTest {

// Test rows are written as lists of C strings; QT_NO_CAST_FROM_ASCII wants the conversion spelled out.
inline QString lines(std::initializer_list<const char *> text)
{
    QStringList out;
    for (const char *line : text)
        out.append(QString::fromUtf8(line));
    return out.join(u'\n') + u'\n';
}

inline QStringList strings(std::initializer_list<const char *> text)
{
    QStringList out;
    for (const char *s : text)
        out.append(QString::fromUtf8(s));
    return out;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

struct Loaded
{
    Gatehouse::ProjectSettings settings;
    Gatehouse::Diagnostics diagnostics;

    QStringList lines() const
    {
        QStringList out;
        for (const Gatehouse::Diagnostic &d : diagnostics.items())
            out.append(d.toString());
        return out;
    }
};

// Writes gatehouse.yaml and `files` (relative path -> content) into a fresh folder and loads it.
inline Loaded load(const QString &yaml, const QMap<QString, QByteArray> &files = {})
{
    QTemporaryDir dir;
    Loaded loaded;
    writeFile(dir.filePath(QStringLiteral("gatehouse.yaml")), yaml.toUtf8());
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        writeFile(dir.filePath(it.key()), it.value());
    loaded.settings = Gatehouse::loadProjectSettings(dir.path(), loaded.diagnostics);
    return loaded;
}

inline QMap<QString, QByteArray> emptyFiles(const QStringList &paths)
{
    QMap<QString, QByteArray> files;
    for (const QString &path : paths)
        files.insert(path, QByteArrayLiteral("placeholder\n"));
    return files;
}

// The repository's top folder, for the sample project and the docs.
inline QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return QDir::cleanPath(QFileInfo(QString::fromUtf8(__FILE__)).absolutePath() + QStringLiteral("/../../.."));
}

} // namespace SettingsTest
