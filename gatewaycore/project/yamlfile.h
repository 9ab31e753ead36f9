// Reading YAML files with yaml-cpp without letting its exceptions or 0-based marks leak out.
#pragma once

#include "base/diagnostic.h"

#include <yaml-cpp/yaml.h>

#include <optional>

namespace Gatehouse {

// Parses the file at absolutePath. On failure (unreadable, syntax error) adds one diagnostic at the
// real line:column of the problem, attributed to displayPath, and returns nullopt.
std::optional<YAML::Node> loadYamlFile(const QString &absolutePath, const QString &displayPath,
                                       Diagnostics &diagnostics);
std::optional<YAML::Node> parseYaml(const QByteArray &text, const QString &displayPath,
                                    Diagnostics &diagnostics);

// 1-based location of a node (yaml-cpp marks are 0-based; a null mark gives line 0).
SourceLocation locationOf(const YAML::Node &node, const QString &displayPath);

// "map", "sequence", "string", ... for messages such as "expected a map, found a sequence".
QString yamlKindName(const YAML::Node &node);

} // namespace Gatehouse
