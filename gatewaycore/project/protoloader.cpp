// The .proto loader: a project's protos/**/*.proto parsed at run time with libprotoc into ProtoSet.
#include "protoloader.h"

#include "project.h"
#include "protooptions.h"
#include "protosourcetree.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <set>

namespace Gatehouse {

using google::protobuf::Descriptor;
using google::protobuf::FileDescriptor;

namespace {

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

void collectMessages(const Descriptor &message, QStringList &out)
{
    if (message.options().map_entry())   // synthesized for map<K, V> fields, not a user type
        return;
    out << fromStd(message.full_name());
    for (int i = 0; i < message.nested_type_count(); ++i)
        collectMessages(*message.nested_type(i), out);
}

// Dependencies before dependents, each file once, as FileDescriptorSet consumers expect.
void addToSet(const FileDescriptor &file, std::set<const FileDescriptor *> &seen,
              google::protobuf::FileDescriptorSet &set)
{
    if (!seen.insert(&file).second)
        return;
    for (int i = 0; i < file.dependency_count(); ++i)
        addToSet(*file.dependency(i), seen, set);
    google::protobuf::FileDescriptorProto *proto = set.add_file();
    file.CopyTo(proto);
    file.CopyJsonNameTo(proto);   // transcoding to JSON needs the lowerCamel names
}

GrpcMethod readMethod(const google::protobuf::MethodDescriptor &descriptor,
                      const ProtoErrorCollector &collector)
{
    GrpcMethod method;
    method.name = fromStd(descriptor.name());
    method.inputType = fromStd(descriptor.input_type()->full_name());
    method.outputType = fromStd(descriptor.output_type()->full_name());
    method.clientStreaming = descriptor.client_streaming();
    method.serverStreaming = descriptor.server_streaming();
    google::protobuf::SourceLocation where;
    if (descriptor.GetSourceLocation(&where))
        method.location = collector.location(descriptor.file()->name(), where.start_line,
                                              where.start_column);
    else
        method.location = collector.location(descriptor.file()->name(), -1, 0);
    return method;
}

} // namespace

ProtoSet loadProtoSources(const QList<ProtoSourceFile> &files, const QString &displayPrefix,
                          Diagnostics &diagnostics)
{
    ProtoSet result;
    ProtoSourceTree tree;
    ProtoErrorCollector collector(tree, displayPrefix, diagnostics);

    QList<ProtoSourceFile> sorted = files;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const ProtoSourceFile &a, const ProtoSourceFile &b) { return a.path < b.path; });
    std::vector<std::string> toImport;
    for (const ProtoSourceFile &file : std::as_const(sorted)) {
        const std::string path = file.path.toStdString();
        if (ProtoSourceTree::isBuiltinPath(path)) {
            diagnostics.note({displayPrefix + file.path, 0, 0},
                             QStringLiteral("Gatehouse's built-in \"%1\" is used for imports of "
                                            "this path; this copy is not loaded")
                                 .arg(file.path));
            continue;
        }
        if (tree.isProjectFile(path) || tree.isRefused(path))
            continue;   // the same path twice: the first one counts
        tree.addProjectFile(path, file.contents);
        if (const auto violation = checkProtoLimits(*tree.contents(path))) {
            tree.addRefusedFile(path);
            diagnostics.error(collector.location(path, violation->line, violation->column),
                              violation->message);
            continue;
        }
        toImport.push_back(path);
    }

    const ProtoErrorCollector::LogCapture logCapture(collector);
    google::protobuf::compiler::Importer importer(&tree, &collector);
    std::vector<const FileDescriptor *> loaded;
    for (const std::string &path : toImport) {
        if (const FileDescriptor *file = importer.Import(path)) {
            loaded.push_back(file);
            continue;
        }
        // Every failure should have come with protoc's own message; never drop a file silently.
        if (collector.errorCountFor(path) == 0)
            diagnostics.error(collector.location(path, -1, 0),
                              QStringLiteral("the file could not be loaded"));
    }

    ProtoOptionReader options(*importer.pool(), collector, diagnostics);
    google::protobuf::FileDescriptorSet descriptorSet;
    std::set<const FileDescriptor *> inSet;
    for (const FileDescriptor *file : loaded) {
        const QString display = collector.displayPath(file->name());
        result.files << display;
        for (int i = 0; i < file->message_type_count(); ++i)
            collectMessages(*file->message_type(i), result.messageTypes);

        for (int s = 0; s < file->service_count(); ++s) {
            const google::protobuf::ServiceDescriptor &descriptor = *file->service(s);
            GrpcService service;
            service.fullName = fromStd(descriptor.full_name());
            service.file = display;
            google::protobuf::SourceLocation where;
            service.location = descriptor.GetSourceLocation(&where)
                                   ? collector.location(file->name(), where.start_line,
                                                        where.start_column)
                                   : collector.location(file->name(), -1, 0);
            options.readService(descriptor, service);
            for (int m = 0; m < descriptor.method_count(); ++m) {
                GrpcMethod method = readMethod(*descriptor.method(m), collector);
                options.readMethod(*descriptor.method(m), method);
                service.methods << method;
            }
            result.services << service;
        }
        addToSet(*file, inSet, descriptorSet);
    }
    const std::string bytes = descriptorSet.SerializeAsString();
    result.descriptorSet = QByteArray(bytes.data(), qsizetype(bytes.size()));
    return result;
}

ProtoSet loadProtoDirectory(const QString &rootDir, const QString &displayPrefix,
                            Diagnostics &diagnostics)
{
    const QDir root(rootDir);
    if (rootDir.isEmpty() || !root.exists())
        return {};

    QStringList paths;
    QDirIterator it(rootDir, {QStringLiteral("*.proto")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        paths << root.relativeFilePath(it.next());
    paths.sort();

    QList<ProtoSourceFile> files;
    for (const QString &path : std::as_const(paths)) {
        QFile file(root.filePath(path));
        const SourceLocation where{displayPrefix + path, 0, 0};
        if (file.size() > kMaxProtoFileBytes) {
            diagnostics.error(where, QStringLiteral("the file is larger than %1 MiB and is not "
                                                    "loaded")
                                         .arg(kMaxProtoFileBytes / (1024 * 1024)));
            continue;
        }
        if (!file.open(QIODevice::ReadOnly)) {
            diagnostics.error(where, QStringLiteral("cannot read file: %1").arg(file.errorString()));
            continue;
        }
        files.append({path, file.readAll()});
    }
    return loadProtoSources(files, displayPrefix, diagnostics);
}

ProtoSet loadProtos(const QString &projectDir, Diagnostics &diagnostics)
{
    return loadProtoDirectory(QDir(projectDir).filePath(QStringLiteral("protos")),
                              QStringLiteral("protos/"), diagnostics);
}

} // namespace Gatehouse
