// OpenApiLiveParser: re-reads an OpenAPI editor's text shortly after typing stops, off the UI
// thread, and feeds what it understood to the outline and its diagnostics to the editor.
#pragma once

#include "liveparser.h"

namespace Gatehouse {

class OpenApiLiveParser : public LiveParser
{
    Q_OBJECT
public:
    // Becomes a child of `editor`, whose filePath()/projectDir() name the file; parses once soon.
    explicit OpenApiLiveParser(CodeEditor *editor);

    // The parser attached to an editor, if any.
    static OpenApiLiveParser *of(const CodeEditor *editor);
    // True for the files a project reads as APIs: *.yaml, *.yml, *.json directly under apis/.
    static bool isApiFile(const QString &absolutePath, const QString &projectDir);

    // The project the file belongs to: its settings, protos and other APIs give the checks that
    // span files (tiers, scopes, issuers ...) the same verdict as a save would. Without a project
    // only the file itself is checked. Re-checks unsaved text against the new project.
    void setProject(const Project &project);

    // What the last parse that read the text understood (see isStale()).
    const std::optional<ApiSpec> &api() const { return m_api; }

private:
    struct ApiResult;
    Task makeTask(const QByteArray &text) override;
    void keep(const Result &result) override;

    std::optional<ApiSpec> m_api;
};

} // namespace Gatehouse
