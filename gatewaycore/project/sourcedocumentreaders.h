// Internal to SourceDocument: the YAML and JSON readers that fill its values and positions.
#pragma once

#include "sourcedocument.h"

#include <QList>

#include <optional>

namespace Gatehouse::SourceReaders {

using Place = SourceDocument::Place;

constexpr int kMaxDepth = 200;   // OpenAPI documents stay far below; deeper input is hostile

// Byte offset -> 1-based line and column (columns count characters, not UTF-8 bytes).
SourceLocation locationAt(const QByteArray &text, qsizetype offset, const QString &file);

// YAML 1.2 (core schema, anchors, merge keys) straight from yaml-cpp's events. On failure reports
// to `diagnostics` (syntax error, several documents, too deep) and returns nullopt; findings that
// do not stop reading (duplicate keys ...) are reported too.
std::optional<QJsonValue> readYaml(const QByteArray &text, const QString &displayPath, Diagnostics &diagnostics,
                                   QHash<QString, Place> &places, QHash<QString, QString> &numberTexts);

struct DuplicateKey
{
    QString name;
    int line = 0;
    int column = 0;
};

// Records where every value and key of `text` starts; `text` must be JSON QJsonDocument accepted,
// from byte `start` (after a byte order mark). Returns the keys written twice in one object,
// which QJsonDocument accepts silently.
QList<DuplicateKey> indexJson(const QByteArray &text, qsizetype start, QHash<QString, Place> &places);

} // namespace Gatehouse::SourceReaders
