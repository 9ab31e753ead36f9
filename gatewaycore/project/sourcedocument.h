// A YAML or JSON file turned into JSON values, remembering where each value was written.
#pragma once

#include "base/diagnostic.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>
#include <optional>

namespace Gatehouse {

// RFC 6901 JSON pointers as QStrings: "" is the root, "/paths/~1pets/get" a member.
namespace JsonPointer {
QString escape(QStringView segment);                      // "~" -> "~0", "/" -> "~1"
QString child(const QString &pointer, QStringView key);   // pointer + "/" + escape(key)
QString child(const QString &pointer, qsizetype index);
// The unescaped segments, or nullopt when the pointer is malformed ("~2", no leading "/").
std::optional<QStringList> split(QStringView pointer);
} // namespace JsonPointer

// One parsed file: its JSON value plus a way back to line:column for any JSON pointer into it.
// Immutable after parse(); safe to share between threads for reading.
class SourceDocument
{
public:
    enum class Syntax { Auto = 1, Yaml, Json };

    // Parses YAML 1.2 (core schema, merge keys) or JSON. Text that looks like JSON is read by
    // QJsonDocument first (exact JSON semantics, fast); YAML flow text that is not strict JSON
    // falls back to yaml-cpp. On failure adds one diagnostic at the real line:column and returns
    // nullptr. Never throws. displayPath is what diagnostics print ("apis/petstore.yaml").
    static std::shared_ptr<const SourceDocument> parse(const QByteArray &text,
                                                       const QString &displayPath,
                                                       Diagnostics &diagnostics,
                                                       Syntax syntax = Syntax::Auto);
    SourceDocument(const SourceDocument &) = delete;
    SourceDocument &operator=(const SourceDocument &) = delete;

    const QString &displayPath() const { return m_displayPath; }
    const QJsonValue &root() const { return m_root; }
    Syntax syntax() const { return m_syntax; }   // the parser that produced root(): Yaml or Json

    // Where the value at `pointer` starts. When the pointer does not exist, the nearest existing
    // ancestor's place, so a diagnostic about a missing key points at its would-be parent.
    SourceLocation locate(QStringView pointer) const;
    // Where the key naming the member at `pointer` is written (the value's place for list items).
    SourceLocation locateKey(QStringView pointer) const;
    // The keys of the object at `pointer` in the order they were written (QJsonObject sorts them).
    QStringList keysInSourceOrder(QStringView pointer, const QJsonObject &object) const;
    // The scalar exactly as written in YAML ("1.0" where the value is the number 1); empty for JSON.
    QString scalarText(QStringView pointer) const;
    // The value at `pointer` as its author wrote it, for diagnostics: a string's text, a YAML
    // number's source text ("1.0", not "1"); empty for other values, for JSON numbers and for a
    // pointer that names nothing.
    QString valueText(QStringView pointer) const;
    // How many values are written in the file (YAML aliases not expanded): the measure of work
    // a reader of this document may reasonably spend.
    qsizetype valueCount() const { return m_places.size(); }

    // Where a value starts, and the key naming it (1-based; 0 = unknown).
    struct Place
    {
        int line = 0;
        int column = 0;
        int keyLine = 0;
        int keyColumn = 0;
    };

private:
    SourceDocument() = default;
    const Place *find(QStringView pointer) const;   // the deepest existing ancestor's place

    QString m_displayPath;
    QJsonValue m_root;
    Syntax m_syntax = Syntax::Yaml;
    QHash<QString, Place> m_places;          // every value, by JSON pointer
    QHash<QString, QString> m_numberTexts;   // YAML numbers as written, by JSON pointer
};

// "a map", "a list", "a string", "a number", "true/false", "null", "nothing": for messages such as
// "servers must be a list, found a map".
QString jsonKindName(const QJsonValue &value);

} // namespace Gatehouse
