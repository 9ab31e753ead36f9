// MemberEdit: sets or removes one member of a mapping in OpenAPI text (YAML block style or JSON),
// as a single text change that touches only that member's lines and keeps everything else as written.
#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gatehouse {

// Replace `removed` characters at `position` by `inserted`.
struct TextChange
{
    int position = 0;
    int removed = 0;
    QString inserted;
    friend bool operator==(const TextChange &, const TextChange &) = default;
};

QString applyTextChange(QString text, const TextChange &change);

enum class TextSyntax { Yaml = 1, Json };
// JSON when the first character that is neither blank nor in a comment is '{'.
TextSyntax detectTextSyntax(QStringView text);

// The change that gives the mapping at `owner` (keys from the document root: {} for the root,
// {"paths", "/pets", "get"} for an operation) the member `key: value`, or removes the member when
// `value` is undefined. An existing member is replaced where it is; a new one goes after the
// owner's last x-* member, else before `paths` at the root, else at the end of the owner. Nothing
// to do gives a change that removes and inserts nothing. Returns nullopt with a sentence in
// `error` when the owner is missing or written inline ({...} in YAML), which this cannot edit.
// Pure text work, linear in the text: cheap enough to run on the UI thread per user action.
std::optional<TextChange> memberChange(const QString &text, const QStringList &owner,
                                       const QString &key, const QJsonValue &value,
                                       QString *error = nullptr);

// A value as YAML (flow style when `flow`): plain when YAML reads it back as the same string,
// else single-quoted. For tests and the renderers.
QString yamlScalar(const QJsonValue &value, bool flow);

} // namespace Gatehouse
