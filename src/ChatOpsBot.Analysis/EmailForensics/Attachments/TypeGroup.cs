namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>Coarse kinds of content, used to compare a declared type or extension with what the bytes are.</summary>
internal enum TypeGroup
{
    /// <summary>Says nothing (application/octet-stream, unknown binary); never compared.</summary>
    Generic,
    Executable,
    Script,
    Shortcut,
    DiskImage,
    Html,
    Pdf,
    Office,
    Rtf,
    Archive,
    Image,
    Media,
    Text,
    Mail,
    OneNote,
    HelpFile,
}

internal static class TypeGroups
{
    /// <summary>Groups whose content runs code or renders active content when opened.</summary>
    public static bool IsDangerous(TypeGroup group) =>
        group is TypeGroup.Executable or TypeGroup.Script or TypeGroup.Shortcut or TypeGroup.DiskImage
            or TypeGroup.Html or TypeGroup.HelpFile or TypeGroup.OneNote;

    public static TypeGroup OfContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return TypeGroup.Generic;
        }

        // What Split(';')[0].Trim().ToLowerInvariant() gives, without the array and copies when there is nothing to cut.
        int semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        string type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim().ToLowerInvariant();
        return type switch
        {
            "application/octet-stream" or "binary/octet-stream" or "application/x-download" or "application/force-download"
                or "application/unknown" or "application/binary" or "application/download" or "application/x-empty" => TypeGroup.Generic,
            "application/pdf" or "application/x-pdf" => TypeGroup.Pdf,
            "application/rtf" or "text/rtf" or "application/x-rtf" => TypeGroup.Rtf,
            "text/html" or "application/xhtml+xml" or "image/svg+xml" or "application/hta" or "message/rfc822-html" => TypeGroup.Html,
            "application/x-ms-shortcut" => TypeGroup.Shortcut,
            "application/x-iso9660-image" or "application/x-udf-image" or "application/x-vhd" or "application/x-raw-disk-image" => TypeGroup.DiskImage,
            "application/onenote" => TypeGroup.OneNote,
            "application/vnd.ms-htmlhelp" => TypeGroup.HelpFile,
            "message/rfc822" or "application/vnd.ms-outlook" => TypeGroup.Mail,
            "application/java-archive" or "application/vnd.android.package-archive" => TypeGroup.Executable,
            _ when type.Contains("msdownload", StringComparison.Ordinal) || type.Contains("executable", StringComparison.Ordinal)
                || type.Contains("msdos-program", StringComparison.Ordinal) || type.Contains("mach-binary", StringComparison.Ordinal)
                || type is "application/x-elf" or "application/x-msi" or "application/x-ms-installer" => TypeGroup.Executable,
            _ when type.Contains("javascript", StringComparison.Ordinal) || type.Contains("vbscript", StringComparison.Ordinal)
                || type is "application/x-sh" or "application/x-bat" or "application/x-powershell" or "text/x-powershell" => TypeGroup.Script,
            _ when type.StartsWith("application/vnd.openxmlformats-officedocument", StringComparison.Ordinal)
                || type.StartsWith("application/vnd.ms-word", StringComparison.Ordinal) || type.StartsWith("application/vnd.ms-excel", StringComparison.Ordinal)
                || type.StartsWith("application/vnd.ms-powerpoint", StringComparison.Ordinal) || type is "application/msword"
                || type is "application/x-ole-storage" || type.StartsWith("application/vnd.oasis.opendocument", StringComparison.Ordinal) => TypeGroup.Office,
            "application/zip" or "application/x-zip-compressed" or "application/x-zip" or "application/vnd.rar" or "application/x-rar-compressed"
                or "application/x-7z-compressed" or "application/gzip" or "application/x-gzip" or "application/x-tar" or "application/x-bzip2"
                or "application/x-xz" or "application/zstd" or "application/vnd.ms-cab-compressed" or "application/x-compressed" => TypeGroup.Archive,
            _ when type.StartsWith("image/", StringComparison.Ordinal) => TypeGroup.Image,
            _ when type.StartsWith("audio/", StringComparison.Ordinal) || type.StartsWith("video/", StringComparison.Ordinal) => TypeGroup.Media,
            _ when type.StartsWith("text/", StringComparison.Ordinal) || type is "application/json" or "application/xml" or "application/csv" => TypeGroup.Text,
            _ => TypeGroup.Generic,
        };
    }

    public static TypeGroup OfExtension(string? extension) => extension switch
    {
        null or "" => TypeGroup.Generic,
        "exe" or "dll" or "scr" or "com" or "pif" or "cpl" or "msi" or "msp" or "msix" or "msixbundle" or "appx" or "appxbundle"
            or "appinstaller" or "application" or "gadget" or "jar" or "xll" or "sys" or "drv" or "ocx" or "apk" or "dmg" or "pkg"
            or "run" or "elf" => TypeGroup.Executable,
        "bat" or "cmd" or "vbs" or "vbe" or "js" or "jse" or "wsf" or "wsh" or "wsc" or "ps1" or "psm1" or "psd1" or "ps1xml" or "sct"
            or "reg" or "inf" or "scf" or "sh" or "hta" or "msc" or "settingcontent-ms" => TypeGroup.Script,
        "lnk" or "url" or "website" => TypeGroup.Shortcut,
        "iso" or "img" or "vhd" or "vhdx" or "udf" => TypeGroup.DiskImage,
        "htm" or "html" or "shtml" or "xhtml" or "svg" or "mht" or "mhtml" => TypeGroup.Html,
        "pdf" => TypeGroup.Pdf,
        "rtf" => TypeGroup.Rtf,
        "doc" or "dot" or "docx" or "docm" or "dotx" or "dotm" or "xls" or "xlt" or "xlsx" or "xlsm" or "xltx" or "xltm" or "xlsb"
            or "xlam" or "ppt" or "pot" or "pps" or "pptx" or "pptm" or "potx" or "potm" or "ppsx" or "ppsm" or "ppam" or "sldm"
            or "odt" or "ods" or "odp" => TypeGroup.Office,
        "zip" or "rar" or "7z" or "gz" or "tgz" or "tar" or "cab" or "bz2" or "xz" or "zst" or "ace" or "arj" or "lzh" or "z" or "r00" => TypeGroup.Archive,
        "png" or "jpg" or "jpeg" or "gif" or "bmp" or "tif" or "tiff" or "webp" or "ico" or "heic" => TypeGroup.Image,
        "mp3" or "mp4" or "wav" or "avi" or "mov" or "mkv" or "m4a" or "wma" or "wmv" => TypeGroup.Media,
        "txt" or "csv" or "log" or "json" or "xml" or "ics" or "vcf" or "md" => TypeGroup.Text,
        "eml" or "msg" => TypeGroup.Mail,
        "one" or "onepkg" => TypeGroup.OneNote,
        "chm" => TypeGroup.HelpFile,
        _ => TypeGroup.Generic,
    };

    /// <summary>
    /// Whether content sniffed as <paramref name="sniffed"/> may honestly be labelled <paramref name="claimed"/>:
    /// OOXML documents are zip files, e-mail and scripts are text, an SVG is an image as much as active content.
    /// </summary>
    public static bool AreCompatible(TypeGroup claimed, TypeGroup sniffed, string sniffedContentType)
    {
        if (claimed == sniffed || claimed is TypeGroup.Generic || sniffed is TypeGroup.Generic)
        {
            return true;
        }

        return (claimed, sniffed) switch
        {
            (TypeGroup.Archive, TypeGroup.Office) => sniffedContentType.Contains("openxmlformats", StringComparison.Ordinal)
                || sniffedContentType.Contains("macroEnabled", StringComparison.Ordinal) || sniffedContentType.Contains("opendocument", StringComparison.Ordinal),
            (TypeGroup.Image, TypeGroup.Html) => sniffedContentType == "image/svg+xml",
            (TypeGroup.Text, TypeGroup.Mail or TypeGroup.Script or TypeGroup.Html) => sniffed is not TypeGroup.Html,
            (TypeGroup.Mail, TypeGroup.Text) or (TypeGroup.Script, TypeGroup.Text) or (TypeGroup.Html, TypeGroup.Text) => true,
            (TypeGroup.Executable, TypeGroup.Archive) => sniffedContentType is "application/zip",
            (TypeGroup.Mail or TypeGroup.Executable, TypeGroup.Office) => sniffedContentType is "application/x-ole-storage",
            _ => false,
        };
    }
}
