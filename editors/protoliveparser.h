// ProtoLiveParser: re-reads a .proto editor's text shortly after typing stops, off the UI thread,
// together with the project's other .proto files, and feeds the services it declares to the
// services table and its diagnostics to the editor.
#pragma once

#include "liveparser.h"

namespace Gatehouse {

class ProtoLiveParser : public LiveParser
{
    Q_OBJECT
public:
    // Becomes a child of `editor`, whose filePath()/projectDir() name the file; parses once soon.
    explicit ProtoLiveParser(CodeEditor *editor);

    static ProtoLiveParser *of(const CodeEditor *editor);
    // True for the files a project reads as protos: *.proto anywhere below protos/.
    static bool isProtoFile(const QString &absolutePath, const QString &projectDir);

    // The project's settings and APIs give the cross-file checks (tiers, schemes) the verdict a
    // save would get. Re-checks unsaved text against the new project.
    void setProject(const Project &project);

    // The services this file declares, from the last parse without errors in this file (see
    // isStale()).
    const QList<GrpcService> &services() const { return m_services; }

private:
    struct ProtoResult;
    Task makeTask(const QByteArray &text) override;
    void keep(const Result &result) override;

    QList<GrpcService> m_services;
};

} // namespace Gatehouse
