#requires -Version 7.2
<#
    Builds the module's MAML help (<Assembly>.dll-Help.xml) from the reference pages in
    docs/cmdlets/<Verb-Noun>.md and the compiled cmdlets' parameter metadata.

    The page format is described in docs/help-format.md. The pages hold the prose (synopsis,
    description, examples, parameter descriptions, inputs, outputs, notes, links); everything
    the compiler already knows (syntax, parameter sets, types, Mandatory, Position, pipeline
    binding, aliases, wildcards, ShouldProcess) is read from the imported module, so the
    help can never disagree with the cmdlets. A parameter description shared by several
    cmdlets is written once in docs/cmdlets/_shared/*.md and included by the pages.

    Both exported functions need the module already imported in the calling session.
#>

Set-StrictMode -Version Latest

$script:MamlNamespace = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

# Parameters every cmdlet gets from PowerShell; pages never document them.
$script:CommonParameterName = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
foreach ($name in @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
        'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
        'UseTransaction') + [System.Management.Automation.Cmdlet]::CommonParameters) {
    [void] $script:CommonParameterName.Add($name)
}

# Added by SupportsShouldProcess. A page may describe them; when it does not, these texts are used.
$script:ShouldProcessParameterText = [ordered]@{
    WhatIf  = 'Shows what the cmdlet would change, without changing anything. Nothing is run against the target.'
    Confirm = 'Asks you to confirm before each change the cmdlet makes.'
}

# Shared parameter descriptions live in this folder of the docs folder; pages include them.
$script:SharedFolderName = '_shared'

$script:KnownSection = @('SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS')

#region Markdown

# One line of a page, with its 1-based line number (for messages).
function New-RoLine([int] $Number, [string] $Text) {
    [pscustomobject]@{ Number = $Number; Text = $Text }
}

# Reads a Markdown file's lines as both the pages and the shared descriptions are read: a line
# inside a code fence is content, never a heading; HTML comments are dropped; a control
# character (which XML cannot hold) is reported and removed; a fence or comment left open is
# reported. Returns one object a line: Number and Text, and for a heading its Level and Heading
# (Level 0 for every other line).
function Split-RoMarkdownLine {
    param(
        [Parameter(Mandatory)] [AllowEmptyCollection()] [AllowEmptyString()] [string[]] $Lines,
        [Parameter(Mandatory)] [scriptblock] $Report
    )
    $fence = $null
    $fenceLine = 0
    $inComment = $false
    for ($n = 1; $n -le $Lines.Count; $n++) {
        $text = $Lines[$n - 1]
        # Line ends are split off above, so a carriage return left in a line stands alone: it
        # would send the cursor back over the text (a '\r' typed where '\\r' was meant).
        if ($text -match '[\x00-\x08\x0B-\x1F]') {
            & $Report $n 'contains a control character, which XML cannot hold.'
            $text = $text -replace '[\x00-\x08\x0B-\x1F]', ''
        }
        $level = 0
        $heading = $null
        if ($fence) {
            if ($text -match $fence) { $fence = $null }
        }
        elseif ($inComment) {
            if ($text -match '-->') { $inComment = $false }
            continue
        }
        elseif ($text -match '^\s{0,3}<!--') {
            if ($text -notmatch '-->') { $inComment = $true }
            continue
        }
        elseif ($text -match '^\s{0,3}(`{3,}|~{3,})') {
            $marker = $Matches[1]
            $fence = '^\s{0,3}' + [regex]::Escape($marker.Substring(0, 1)) + '{' + $marker.Length + ',}\s*$'
            $fenceLine = $n
        }
        elseif ($text -match '^(#{1,6})\s+(.*?)(\s+#+)?\s*$') {
            $level = $Matches[1].Length
            $heading = $Matches[2].Trim()
        }
        [pscustomobject]@{ Number = $n; Text = $text; Level = $level; Heading = $heading }
    }
    if ($fence) { & $Report $fenceLine 'code fence is never closed.' }
    if ($inComment) { & $Report $Lines.Count 'HTML comment is never closed.' }
}

# Splits the lines of one section into blocks: Text paragraphs (blank-line separated; a
# paragraph holding list items keeps one item per line) and Code blocks (fenced, verbatim).
function ConvertTo-RoBlock {
    param([object[]] $Line)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $paragraph = [System.Collections.Generic.List[object]]::new()

    $flush = {
        if ($paragraph.Count -eq 0) { return }
        $items = [System.Collections.Generic.List[string]]::new()
        $isList = $false
        foreach ($l in $paragraph) {
            if ($l.Text -match '^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$') {
                $isList = $true
                $items.Add(($Matches[1] + $Matches[2] + ' ' + $Matches[3].Trim()))
            }
            elseif ($items.Count -gt 0) {
                $items[$items.Count - 1] = $items[$items.Count - 1] + ' ' + $l.Text.Trim()
            }
            else {
                $items.Add($l.Text.Trim())
            }
        }
        $text = if ($isList) { $items -join "`n" } else { $items -join ' ' }
        $blocks.Add([pscustomobject]@{ Kind = 'Text'; Text = $text; Language = ''; Line = $paragraph[0].Number })
        $paragraph.Clear()
    }

    for ($i = 0; $i -lt $Line.Count; $i++) {
        $l = $Line[$i]
        if ($l.Text -match '^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)') {
            . $flush
            $marker = $Matches[1]
            $language = $Matches[2]
            $start = $l.Number
            $code = [System.Collections.Generic.List[string]]::new()
            $closing = '^\s{0,3}' + [regex]::Escape($marker.Substring(0, 1)) + '{' + $marker.Length + ',}\s*$'
            for ($i++; $i -lt $Line.Count -and $Line[$i].Text -notmatch $closing; $i++) {
                $code.Add($Line[$i].Text)
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Text = ($code -join "`n"); Language = $language; Line = $start })
        }
        elseif ([string]::IsNullOrWhiteSpace($l.Text)) {
            . $flush
        }
        else {
            $paragraph.Add($l)
        }
    }
    . $flush
    return , $blocks.ToArray()
}

# The anchor GitHub gives a heading: lower case, punctuation other than '-' and '_' dropped,
# spaces turned into '-'. Include links use it, so they also work when the page is read on GitHub.
function ConvertTo-RoHeadingAnchor([string] $Heading) {
    return (($Heading.Trim().ToLowerInvariant() -replace '[^\p{L}\p{Nd} _-]', '') -replace ' ', '-')
}

# An include: a paragraph that is nothing but a link into the shared folder,
# '[any text](_shared/File.md#anchor)'.
$script:IncludePattern = '^\[[^\]]*\]\(\s*<?((?:[^)#\s>]*/)?' + [regex]::Escape($script:SharedFolderName) + '/[^)#\s>]+\.md)#([^)\s>]+)>?\s*\)$'

# Reads the shared parameter descriptions, <docs>/_shared/*.md: '## -Name' or '## -Name (variant)'
# sections whose paragraphs any page can include. Returns a dictionary keyed by
# '<full path of the file>#<anchor>'. Problems are added to $Problem.
function Read-RoSharedParameter {
    param(
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problem
    )
    $shared = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase)
    $folder = Join-Path $DocsPath $script:SharedFolderName
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) { return , $shared }

    foreach ($file in Get-ChildItem -LiteralPath $folder -Filter '*.md' -File | Sort-Object Name) {
        $display = "$($script:SharedFolderName)/$($file.Name)"
        $report = { param([int] $LineNumber, [string] $Message) $Problem.Add(('{0}:{1}: {2}' -f $display, $LineNumber, $Message)) }
        $lines = [System.IO.File]::ReadAllText($file.FullName) -split '\r?\n'
        $sections = [System.Collections.Generic.List[object]]::new()
        $current = $null
        foreach ($line in Split-RoMarkdownLine -Lines $lines -Report $report) {
            $n = $line.Number
            $text = $line.Text
            if ($line.Level -gt 0) {
                $level = $line.Level
                $heading = $line.Heading
                if ($level -eq 1) { $current = $null; continue } # the file's title
                if ($level -ne 2) {
                    & $report $n "heading level $level is not part of a shared file (use '## -Name' or '## -Name (variant)')."
                    continue
                }
                if ($heading -notmatch '^-([A-Za-z_][A-Za-z0-9_]*)(\s+\([^()]+\))?$') {
                    & $report $n "shared heading '## $heading' must be '## -Name' or '## -Name (variant)'."
                    $current = $null
                    continue
                }
                $current = [pscustomobject]@{
                    Parameter = $Matches[1]
                    Heading   = $heading
                    Anchor    = ConvertTo-RoHeadingAnchor $heading
                    Display   = $display
                    Line      = $n
                    Lines     = [System.Collections.Generic.List[object]]::new()
                    Paras     = @()
                    Used      = $false
                }
                $sections.Add($current)
                continue
            }
            if ($current) { $current.Lines.Add((New-RoLine $n $text)) }
        }
        foreach ($section in $sections) {
            $key = $file.FullName + '#' + $section.Anchor
            if ($shared.ContainsKey($key)) {
                & $report $section.Line "shared heading '## $($section.Heading)' appears twice."
                continue
            }
            $blocks = ConvertTo-RoBlock $section.Lines
            $section.Paras = @($blocks | ForEach-Object Text)
            if (@($blocks | Where-Object { $_.Kind -eq 'Text' -and $_.Text.Trim() }).Count -eq 0) {
                & $report $section.Line "shared description '$($section.Heading)' has no text."
            }
            elseif (@($blocks | Where-Object { $_.Kind -eq 'Text' -and $_.Text -match $script:IncludePattern }).Count -gt 0) {
                & $report $section.Line "shared description '$($section.Heading)' includes another one; write its text out."
            }
            $shared[$key] = $section
        }
    }
    return , $shared
}

# Replaces each include paragraph of a parameter section by the shared paragraphs it names.
function Expand-RoInclude {
    param(
        [Parameter(Mandatory)] [string] $PagePath,
        [Parameter(Mandatory)] [string] $Parameter,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Block,
        [Parameter(Mandatory)] [AllowNull()] $Shared,
        [Parameter(Mandatory)] [scriptblock] $Report
    )
    $pageFolder = Split-Path -Parent $PagePath
    foreach ($block in $Block) {
        if ($block.Kind -ne 'Text') { $block.Text; continue }
        if ($block.Text -match $script:IncludePattern) {
            $target = [System.IO.Path]::GetFullPath((Join-Path $pageFolder $Matches[1]))
            $anchor = $Matches[2]
            $section = if ($Shared) { $entry = $null; if ($Shared.TryGetValue($target + '#' + $anchor, [ref] $entry)) { $entry } }
            if (-not $section) {
                $known = @($Shared.Values | Where-Object { $_.Parameter -eq $Parameter } | ForEach-Object { "$($_.Display)#$($_.Anchor)" })
                $hint = if ($known) { "shared descriptions of -${Parameter}: $($known -join ', ')" } else { "no shared file describes -$Parameter" }
                & $Report $block.Line "-$Parameter includes '$($Matches[1])#$anchor', which does not exist ($hint)."
                continue
            }
            if ($section.Parameter -ne $Parameter) {
                & $Report $block.Line "-$Parameter includes the shared description of -$($section.Parameter) ($($section.Display)#$anchor); include one written for -$Parameter."
                continue
            }
            $section.Used = $true
            $section.Paras
        }
        elseif ($block.Text -match ('\]\(\s*<?(?:[^)\s>]*/)?' + [regex]::Escape($script:SharedFolderName) + '/')) {
            & $Report $block.Line "-${Parameter}: a link into $($script:SharedFolderName)/ must be a paragraph of its own, '[text]($($script:SharedFolderName)/File.md#-name)', to include that description."
            $block.Text
        }
        else { $block.Text }
    }
}

# Reads one page into its parts. Problems are added to $Problem as "<file>:<line>: <message>".
function Read-RoHelpPage {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problem,
        # Shared parameter descriptions (Read-RoSharedParameter) that the page may include.
        $Shared = $null
    )
    $file = Split-Path -Leaf $Path
    $report = { param([int] $LineNumber, [string] $Message) $Problem.Add(('{0}:{1}: {2}' -f $file, $LineNumber, $Message)) }

    $raw = [System.IO.File]::ReadAllText($Path)
    $lines = $raw -split '\r?\n'

    # Pass 1: headings (outside code fences and HTML comments) cut the page into a tree.
    $title = $null
    $preamble = [System.Collections.Generic.List[object]]::new()
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = $preamble
    foreach ($line in Split-RoMarkdownLine -Lines $lines -Report $report) {
        $n = $line.Number
        $text = $line.Text
        if ($line.Level -gt 0) {
            $level = $line.Level
            $heading = $line.Heading
            switch ($level) {
                1 {
                    if ($title) { & $report $n "a second '# ' title ('$heading'); a page documents one cmdlet." }
                    else {
                        $title = [pscustomobject]@{ Text = $heading; Line = $n }
                        if (@($preamble | Where-Object { $_.Text.Trim() }).Count -gt 0) { & $report $n "text before the '# $heading' title." }
                    }
                    $current = [System.Collections.Generic.List[object]]::new()
                }
                2 {
                    $section = [pscustomobject]@{
                        Name        = $heading.ToUpperInvariant()
                        Line        = $n
                        Lines       = [System.Collections.Generic.List[object]]::new()
                        Subsections = [System.Collections.Generic.List[object]]::new()
                    }
                    $sections.Add($section)
                    $current = $section.Lines
                }
                3 {
                    if ($sections.Count -eq 0) {
                        & $report $n "'### $heading' is outside any '## ' section."
                        $current = [System.Collections.Generic.List[object]]::new()
                    }
                    else {
                        $sub = [pscustomobject]@{ Name = $heading; Line = $n; Lines = [System.Collections.Generic.List[object]]::new() }
                        $sections[$sections.Count - 1].Subsections.Add($sub)
                        $current = $sub.Lines
                    }
                }
                default {
                    & $report $n "heading level $level is not part of the page format (use '#', '##' or '###')."
                    $current.Add((New-RoLine $n $heading))
                }
            }
            continue
        }
        $current.Add((New-RoLine $n $text))
    }

    $page = [pscustomobject]@{
        Path        = $Path
        File        = $file
        Name        = $null
        Line        = 1
        Synopsis    = $null
        Description = @()
        Examples    = [System.Collections.Generic.List[object]]::new()
        Parameters  = [ordered]@{}
        Inputs      = $null
        Outputs     = $null
        Notes       = @()
        Links       = [System.Collections.Generic.List[object]]::new()
    }

    if (-not $title) {
        & $report 1 "no '# Verb-Noun' title."
    }
    else {
        $page.Name = $title.Text
        $page.Line = $title.Line
        if ($title.Text -notmatch '^[A-Za-z]+-[A-Za-z0-9]+$') { & $report $title.Line "title '$($title.Text)' is not a cmdlet name (Verb-Noun)." }
        $stem = [System.IO.Path]::GetFileNameWithoutExtension($file)
        if ($stem -ne $title.Text) { & $report $title.Line "the file name must be the title: rename '$file' to '$($title.Text).md'." }
    }

    $seen = @{}
    foreach ($section in $sections) {
        if ($seen.ContainsKey($section.Name)) { & $report $section.Line "section '## $($section.Name)' appears twice."; continue }
        $seen[$section.Name] = $true
        if ($section.Name -eq 'SYNTAX') {
            & $report $section.Line "remove '## SYNTAX': the syntax is generated from the compiled cmdlet."
            continue
        }
        if ($section.Name -notin $script:KnownSection) {
            & $report $section.Line "unknown section '## $($section.Name)' (known: $($script:KnownSection -join ', '))."
            continue
        }
        $blocks = ConvertTo-RoBlock $section.Lines
        $hasSubsections = $section.Subsections.Count -gt 0
        if ($section.Name -in 'SYNOPSIS', 'DESCRIPTION', 'NOTES', 'RELATED LINKS' -and $hasSubsections) {
            & $report $section.Subsections[0].Line "'### ' headings are not allowed in '## $($section.Name)'."
        }
        if ($section.Name -in 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS' -and $blocks.Count -gt 0) {
            & $report $blocks[0].Line "text directly under '## $($section.Name)'; put it under a '### ' heading."
        }

        switch ($section.Name) {
            'SYNOPSIS' {
                $text = @($blocks | Where-Object Kind -EQ 'Text')
                if ($text.Count -eq 0) { & $report $section.Line 'SYNOPSIS has no text.' }
                elseif ($blocks.Count -gt 1) { & $report $blocks[1].Line 'SYNOPSIS must be a single paragraph.' }
                else { $page.Synopsis = $text[0].Text }
            }
            'DESCRIPTION' {
                $page.Description = @($blocks | ForEach-Object Text)
                if (@($blocks | Where-Object Kind -EQ 'Text').Count -eq 0) { & $report $section.Line 'DESCRIPTION has no text.' }
            }
            'NOTES' {
                $page.Notes = @($blocks | ForEach-Object Text)
            }
            'RELATED LINKS' {
                # One link per line: '[text](url)' or a plain name (another cmdlet, an about_ topic).
                foreach ($block in $blocks | Where-Object Kind -EQ 'Code') { & $report $block.Line 'code block in RELATED LINKS; write one link per line.' }
                $inFence = $false
                foreach ($l in $section.Lines) {
                    if ($l.Text -match '^\s{0,3}(`{3,}|~{3,})') { $inFence = -not $inFence; continue }
                    $entry = ($l.Text -replace '^\s*([-*+]|\d{1,9}[.)])\s+', '').Trim()
                    if ($inFence -or -not $entry) { continue }
                    if ($entry -match '^\[([^\]]+)\]\(\s*<?([^)\s>]*)>?\s*\)$') {
                        $page.Links.Add([pscustomobject]@{ Text = $Matches[1].Trim(); Uri = $Matches[2] })
                    }
                    elseif ($entry -match '\]\(') {
                        & $report $l.Number "related link '$entry' is not '[text](url)' alone on its line."
                    }
                    else {
                        $page.Links.Add([pscustomobject]@{ Text = $entry; Uri = '' })
                    }
                }
            }
            'EXAMPLES' {
                foreach ($sub in $section.Subsections) {
                    $subBlocks = ConvertTo-RoBlock $sub.Lines
                    # The code (one or more fenced blocks) comes first; everything after it is remarks.
                    $code = [System.Collections.Generic.List[string]]::new()
                    $remarks = [System.Collections.Generic.List[string]]::new()
                    foreach ($block in $subBlocks) {
                        if ($block.Kind -eq 'Code' -and $remarks.Count -eq 0) { $code.Add($block.Text) }
                        elseif ($code.Count -eq 0) {
                            & $report $block.Line "example '$($sub.Name)': text before the code block; Get-Help shows the code first, so put the explanation after it."
                        }
                        else { $remarks.Add($block.Text) }
                    }
                    if ($code.Count -eq 0 -or -not ($code -join '').Trim()) {
                        & $report $sub.Line "example '$($sub.Name)' has no code block."
                    }
                    $page.Examples.Add([pscustomobject]@{
                            Title   = $sub.Name
                            Code    = ($code -join "`n`n")
                            Remarks = $remarks.ToArray()
                            Line    = $sub.Line
                        })
                }
            }
            'PARAMETERS' {
                foreach ($sub in $section.Subsections) {
                    if ($sub.Name -notmatch '^-([A-Za-z_][A-Za-z0-9_]*)$') {
                        & $report $sub.Line "parameter heading '### $($sub.Name)' must be '### -Name'."
                        continue
                    }
                    $name = $Matches[1]
                    if ($page.Parameters.Contains($name)) { & $report $sub.Line "parameter -$name is documented twice."; continue }
                    $subBlocks = ConvertTo-RoBlock $sub.Lines
                    foreach ($block in $subBlocks) {
                        if ($block.Kind -eq 'Code' -and $block.Language -match '^ya?ml$') {
                            & $report $block.Line "remove the yaml block of -${name}: type, position, pipeline input and aliases come from the compiled cmdlet."
                        }
                    }
                    $kept = @($subBlocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Language -match '^ya?ml$') })
                    $paras = @(Expand-RoInclude -PagePath $Path -Parameter $name -Block $kept -Shared $Shared -Report $report)
                    $page.Parameters[$name] = [pscustomobject]@{ Name = $name; Line = $sub.Line; Paras = $paras }
                }
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $list = [System.Collections.Generic.List[object]]::new()
                foreach ($sub in $section.Subsections) {
                    $subBlocks = ConvertTo-RoBlock $sub.Lines
                    $list.Add([pscustomobject]@{ Type = $sub.Name; Paras = @($subBlocks | ForEach-Object Text) })
                }
                if ($section.Name -eq 'INPUTS') { $page.Inputs = $list } else { $page.Outputs = $list }
            }
        }
    }

    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $seen.ContainsKey($required)) {
            if ($required -eq 'PARAMETERS') { continue } # a cmdlet without parameters needs none; checked against the cmdlet
            & $report $page.Line "no '## $required' section."
        }
    }
    if ($seen.ContainsKey('EXAMPLES') -and $page.Examples.Count -eq 0) {
        & $report $page.Line "'## EXAMPLES' has no '### Example' with a code block."
    }
    return $page
}

#endregion

#region Cmdlet metadata

function Format-RoTypeName {
    param([Parameter(Mandatory)] [type] $Type, [switch] $Full)
    if ($Type.IsArray) {
        return (Format-RoTypeName $Type.GetElementType() -Full:$Full) + '[' + (',' * ($Type.GetArrayRank() - 1)) + ']'
    }
    if ($Type.IsGenericType -and -not $Type.IsGenericTypeDefinition) {
        $definition = $Type.GetGenericTypeDefinition()
        $base = if ($Full -and $definition.FullName) { $definition.FullName } else { $definition.Name }
        $base = $base -replace '`\d+$', ''
        $arguments = @($Type.GetGenericArguments() | ForEach-Object { Format-RoTypeName $_ -Full:$Full }) -join ', '
        return "$base[$arguments]"
    }
    if ($Full -and $Type.FullName) { return $Type.FullName }
    return $Type.Name
}

function Format-RoPipelineInput {
    param([System.Management.Automation.CommandParameterInfo] $Parameter)
    $how = @()
    if ($Parameter.ValueFromPipeline) { $how += 'ByValue' }
    if ($Parameter.ValueFromPipelineByPropertyName) { $how += 'ByPropertyName' }
    if ($how) { return 'True ({0})' -f ($how -join ', ') }
    return 'False'
}

# A value that may differ between parameter sets: one value when all sets agree, else
# "SetName: value; SetName: value" (Get-Help shows position and pipeline input as text).
function Join-RoPerSet {
    param([object[]] $Usage, [string] $Property)
    $values = @($Usage | ForEach-Object { $_.$Property } | Select-Object -Unique)
    if ($values.Count -le 1) { return [string] ($values | Select-Object -First 1) }
    return (@($Usage | ForEach-Object { '{0}: {1}' -f $_.SetName, $_.$Property }) -join '; ')
}

# The parameter metadata of one cmdlet, as the help needs it.
function Get-RoCmdletShape {
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $sets = @($Command.ParameterSets | Sort-Object -Stable { -not $_.IsDefault })
    $parameters = [ordered]@{}
    $syntax = foreach ($set in $sets) {
        $items = foreach ($p in $set.Parameters) {
            if ($script:CommonParameterName.Contains($p.Name)) { continue }
            $position = if ($p.Position -ge 0) { [string] $p.Position } else { 'named' }
            $item = [pscustomobject]@{
                Name          = $p.Name
                SetName       = $set.Name
                Type          = $p.ParameterType
                IsSwitch      = $p.ParameterType -eq [System.Management.Automation.SwitchParameter]
                Required      = $p.IsMandatory.ToString().ToLowerInvariant()
                Position      = $position
                SortPosition  = if ($p.Position -ge 0) { $p.Position } else { [int]::MaxValue }
                PipelineInput = Format-RoPipelineInput $p
                Aliases       = @($p.Aliases)
                Globbing      = [bool] @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count
                Order         = 0
            }
            if (-not $parameters.Contains($p.Name)) {
                $parameters[$p.Name] = [pscustomobject]@{ Name = $p.Name; Usage = [System.Collections.Generic.List[object]]::new() }
            }
            $parameters[$p.Name].Usage.Add($item)
            $item
        }
        # Positional parameters by position, then mandatory, then optional; -WhatIf and -Confirm last.
        $i = 0
        foreach ($item in $items) {
            $item.Order = $i++
            if ($item.Name -in 'WhatIf', 'Confirm') { $item.Order += 100000 }
        }
        [pscustomobject]@{
            SetName    = $set.Name
            Parameters = @($items | Sort-Object SortPosition, { $_.Required -ne 'true' }, Order)
        }
    }
    [pscustomobject]@{
        Command          = $Command
        Syntax           = @($syntax)
        Parameters       = $parameters
        SupportsShouldProcess = $Command.Parameters.ContainsKey('WhatIf') -and $Command.Parameters.ContainsKey('Confirm')
    }
}

#endregion

#region Model and validation

# Pairs each exported cmdlet with its page and collects every problem.
function Get-RoHelpModel {
    param([string] $ModuleName, [string] $DocsPath)

    $problems = [System.Collections.Generic.List[string]]::new()
    $module = @(Get-Module -Name $ModuleName)
    if ($module.Count -eq 0) {
        throw "Module '$ModuleName' is not imported in this session. Import the built module first (Import-Module <path>/$ModuleName.psd1), then build its help."
    }
    if (-not (Test-Path -LiteralPath $DocsPath -PathType Container)) {
        throw "The docs folder '$DocsPath' does not exist."
    }
    $docs = (Resolve-Path -LiteralPath $DocsPath).ProviderPath

    $commands = @(Get-Command -Module $ModuleName -CommandType Cmdlet | Sort-Object Name)
    if ($commands.Count -eq 0) { $problems.Add("Module '$ModuleName' exports no cmdlets.") }

    $shared = Read-RoSharedParameter -DocsPath $docs -Problem $problems
    $pages = @{}
    foreach ($file in Get-ChildItem -LiteralPath $docs -Filter '*.md' -File | Where-Object Name -NE 'README.md' | Sort-Object Name) {
        $page = Read-RoHelpPage -Path $file.FullName -Problem $problems -Shared $shared
        if (-not $page.Name) { continue }
        if ($pages.ContainsKey($page.Name)) {
            $problems.Add(('{0}:{1}: documents {2}, which {3} documents too.' -f $page.File, $page.Line, $page.Name, $pages[$page.Name].File))
            continue
        }
        $pages[$page.Name] = $page
    }

    $entries = foreach ($command in $commands) {
        $page = $pages[$command.Name]
        if (-not $page) {
            $problems.Add("$($command.Name): no page; write $(Join-Path $docs "$($command.Name).md").")
            continue
        }
        if ($page.Name -cne $command.Name) {
            $problems.Add(('{0}:{1}: title {2} must be spelled like the cmdlet: {3}.' -f $page.File, $page.Line, $page.Name, $command.Name))
        }
        $pages.Remove($command.Name)
        $shape = Get-RoCmdletShape -Command $command

        foreach ($documented in $page.Parameters.Values) {
            $where = '{0}:{1}:' -f $page.File, $documented.Line
            if ($script:CommonParameterName.Contains($documented.Name)) {
                $problems.Add("$where -$($documented.Name) is a common parameter; remove its section.")
            }
            elseif (-not $shape.Parameters.Contains($documented.Name)) {
                $problems.Add("$where $($command.Name) has no parameter -$($documented.Name); remove its section or fix the name.")
            }
            elseif ($shape.Parameters[$documented.Name].Name -cne $documented.Name) {
                $problems.Add("$where write -$($shape.Parameters[$documented.Name].Name) as the cmdlet spells it (page has -$($documented.Name)).")
            }
            elseif (@($documented.Paras | Where-Object { $_.Trim() }).Count -eq 0) {
                $problems.Add("$where -$($documented.Name) has no description.")
            }
        }
        foreach ($name in $shape.Parameters.Keys) {
            if ($name -in 'WhatIf', 'Confirm') { continue }
            if (-not $page.Parameters.Contains($name)) {
                $problems.Add(('{0}:{1}: parameter -{2} of {3} is not documented; add a "### -{2}" section under "## PARAMETERS".' -f $page.File, $page.Line, $name, $command.Name))
            }
        }
        [pscustomobject]@{ Command = $command; Shape = $shape; Page = $page }
    }

    foreach ($page in $pages.Values | Sort-Object File) {
        $problems.Add(('{0}:{1}: {2} is not a cmdlet of {3}; remove the page or fix its title.' -f $page.File, $page.Line, $page.Name, $ModuleName))
    }
    # A shared description no page includes is text nobody reads.
    foreach ($section in $shared.Values | Where-Object { -not $_.Used } | Sort-Object Display, Line) {
        $problems.Add(('{0}:{1}: shared description ''{2}'' is included by no page; include it or remove it.' -f $section.Display, $section.Line, $section.Heading))
    }

    [pscustomobject]@{ Entries = @($entries); Problems = $problems; DocsPath = $docs }
}

# One terminating error that lists every problem, or nothing.
function Assert-RoHelpModel {
    param($Model, [string] $ModuleName, [System.Management.Automation.PSCmdlet] $Caller)
    if ($Model.Problems.Count -gt 0) {
        $message = "The help source for $ModuleName has $($Model.Problems.Count) problem(s) (pages in $($Model.DocsPath)):" +
            [Environment]::NewLine + (($Model.Problems | Sort-Object -Stable { ($_ -split ':')[0] } | ForEach-Object { "  - $_" }) -join [Environment]::NewLine)
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new($message), 'RoHelpSourceInvalid',
            [System.Management.Automation.ErrorCategory]::InvalidData, $Model.DocsPath)
        $Caller.ThrowTerminatingError($record)
    }
}

#endregion

#region MAML

function Write-RoStart([System.Xml.XmlWriter] $Writer, [string] $Name) {
    $prefix, $local = $Name.Split(':')
    $Writer.WriteStartElement($prefix, $local, $script:MamlNamespace[$prefix])
}

function Write-RoElement([System.Xml.XmlWriter] $Writer, [string] $Name, [string] $Text) {
    $prefix, $local = $Name.Split(':')
    $Writer.WriteElementString($prefix, $local, $script:MamlNamespace[$prefix], $Text)
}

# <Name><maml:para>...</maml:para>...</Name>
function Write-RoParagraphs([System.Xml.XmlWriter] $Writer, [string] $Name, [string[]] $Paragraph) {
    Write-RoStart $Writer $Name
    foreach ($p in @($Paragraph | Where-Object { $null -ne $_ })) { Write-RoElement $Writer 'maml:para' $p }
    $Writer.WriteEndElement()
}

function Write-RoParameter {
    param([System.Xml.XmlWriter] $Writer, $Usage, [string[]] $Description, [switch] $InSyntax)
    $first = $Usage[0]
    # Get-Help reads 'required' as a boolean, so it is 'true' only when every set requires the
    # parameter; when sets disagree, a generated paragraph spells out each set.
    $required = if (@($Usage | Where-Object Required -NE 'true').Count -eq 0) { 'true' } else { 'false' }
    $differs = @($Usage | ForEach-Object { '{0}|{1}|{2}' -f $_.Required, $_.Position, $_.PipelineInput } | Select-Object -Unique).Count -gt 1
    if ($differs -and -not $InSyntax) {
        $perSet = @($Usage | ForEach-Object {
                '{0}: {1}, position {2}, pipeline input {3}' -f $_.SetName, $(if ($_.Required -eq 'true') { 'required' } else { 'optional' }), $_.Position, $_.PipelineInput
            }) -join '; '
        $Description = @($Description) + "Differs by parameter set - $perSet."
    }
    Write-RoStart $Writer 'command:parameter'
    $Writer.WriteAttributeString('required', $required)
    $Writer.WriteAttributeString('variableLength', $first.Type.IsArray.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $first.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', (Join-RoPerSet $Usage 'PipelineInput'))
    $Writer.WriteAttributeString('position', (Join-RoPerSet $Usage 'Position'))
    $Writer.WriteAttributeString('aliases', $(if ($first.Aliases.Count) { $first.Aliases -join ', ' } else { 'none' }))
    Write-RoElement $Writer 'maml:name' $first.Name
    Write-RoParagraphs $Writer 'maml:description' $Description
    if (-not ($InSyntax -and $first.IsSwitch)) {
        Write-RoStart $Writer 'command:parameterValue'
        $Writer.WriteAttributeString('required', (-not $first.IsSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', $first.Type.IsArray.ToString().ToLowerInvariant())
        $Writer.WriteString((Format-RoTypeName $first.Type))
        $Writer.WriteEndElement()
    }
    Write-RoStart $Writer 'dev:type'
    Write-RoElement $Writer 'maml:name' (Format-RoTypeName $first.Type -Full)
    Write-RoElement $Writer 'maml:uri' ''
    $Writer.WriteEndElement()
    if ($first.IsSwitch) { Write-RoElement $Writer 'dev:defaultValue' 'False' }
    $Writer.WriteEndElement()
}

# Inputs when the page has no INPUTS section: the types bound by value, and for parameters
# bound by property name, which properties bind.
function Get-RoDerivedInput($Shape) {
    $byValue = [ordered]@{}
    $byName = [System.Collections.Generic.List[string]]::new()
    foreach ($parameter in $Shape.Parameters.Values) {
        foreach ($usage in $parameter.Usage) {
            if ($usage.PipelineInput -like '*ByValue*') {
                $typeName = Format-RoTypeName $usage.Type -Full
                if (-not $byValue.Contains($typeName)) { $byValue[$typeName] = [System.Collections.Generic.List[string]]::new() }
                if ("-$($usage.Name)" -notin $byValue[$typeName]) { $byValue[$typeName].Add("-$($usage.Name)") }
            }
            if ($usage.PipelineInput -like '*ByPropertyName*' -and $usage.Name -notin $byName) { $byName.Add($usage.Name) }
        }
    }
    foreach ($typeName in $byValue.Keys) {
        [pscustomobject]@{ Type = $typeName; Paras = @("You can pipe $typeName to $($byValue[$typeName] -join ', ').") }
    }
    if ($byName.Count) {
        [pscustomobject]@{ Type = 'System.Management.Automation.PSObject'; Paras = @("You can pipe objects whose properties match these parameters (or their aliases): $(($byName | ForEach-Object { "-$_" }) -join ', ').") }
    }
    if ($byValue.Count -eq 0 -and $byName.Count -eq 0) {
        [pscustomobject]@{ Type = 'None'; Paras = @('This cmdlet takes no pipeline input.') }
    }
}

function Write-RoCommand {
    param([System.Xml.XmlWriter] $Writer, $Entry)
    $command = $Entry.Command
    $page = $Entry.Page
    $shape = $Entry.Shape

    $descriptionOf = {
        param([string] $Name)
        if ($page.Parameters.Contains($Name)) { return , [string[]] $page.Parameters[$Name].Paras }
        if ($script:ShouldProcessParameterText.Contains($Name)) { return , [string[]] @($script:ShouldProcessParameterText[$Name]) }
        return , [string[]] @()
    }

    Write-RoStart $Writer 'command:command'
    Write-RoStart $Writer 'command:details'
    Write-RoElement $Writer 'command:name' $command.Name
    Write-RoElement $Writer 'command:verb' $command.Verb
    Write-RoElement $Writer 'command:noun' $command.Noun
    Write-RoParagraphs $Writer 'maml:description' @($page.Synopsis)
    $Writer.WriteEndElement()

    Write-RoParagraphs $Writer 'maml:description' $page.Description

    Write-RoStart $Writer 'command:syntax'
    foreach ($set in $shape.Syntax) {
        Write-RoStart $Writer 'command:syntaxItem'
        Write-RoElement $Writer 'maml:name' $command.Name
        foreach ($usage in $set.Parameters) {
            Write-RoParameter -Writer $Writer -Usage @($usage) -Description (& $descriptionOf $usage.Name) -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # The page's order, then anything only the cmdlet has (-WhatIf, -Confirm).
    $names = @($page.Parameters.Keys | Where-Object { $shape.Parameters.Contains($_) }) +
        @($shape.Parameters.Keys | Where-Object { -not $page.Parameters.Contains($_) })
    Write-RoStart $Writer 'command:parameters'
    foreach ($name in $names) {
        Write-RoParameter -Writer $Writer -Usage $shape.Parameters[$name].Usage.ToArray() -Description (& $descriptionOf $name)
    }
    $Writer.WriteEndElement()

    $inputs = if ($null -ne $page.Inputs) { $page.Inputs } else { @(Get-RoDerivedInput $shape) }
    Write-RoStart $Writer 'command:inputTypes'
    foreach ($item in $inputs) {
        Write-RoStart $Writer 'command:inputType'
        Write-RoStart $Writer 'dev:type'
        Write-RoElement $Writer 'maml:name' $item.Type
        $Writer.WriteEndElement()
        Write-RoParagraphs $Writer 'maml:description' $item.Paras
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $outputs = if ($null -ne $page.Outputs) { $page.Outputs } else {
        @($command.OutputType | ForEach-Object { [pscustomobject]@{ Type = $_.Name; Paras = @() } })
    }
    Write-RoStart $Writer 'command:returnValues'
    foreach ($item in $outputs) {
        Write-RoStart $Writer 'command:returnValue'
        Write-RoStart $Writer 'dev:type'
        Write-RoElement $Writer 'maml:name' $item.Type
        $Writer.WriteEndElement()
        Write-RoParagraphs $Writer 'maml:description' $item.Paras
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    if ($page.Notes.Count) {
        Write-RoStart $Writer 'maml:alertSet'
        Write-RoParagraphs $Writer 'maml:alert' $page.Notes
        $Writer.WriteEndElement()
    }

    Write-RoStart $Writer 'command:examples'
    foreach ($example in $page.Examples) {
        Write-RoStart $Writer 'command:example'
        # Get-Help prints examples without a heading of their own: the dashes set them apart.
        Write-RoElement $Writer 'maml:title' ('{0} {1} {0}' -f ('-' * 26), $example.Title)
        Write-RoElement $Writer 'dev:code' $example.Code
        # The empty last paragraph leaves a blank line before the next example.
        Write-RoParagraphs $Writer 'dev:remarks' (@($example.Remarks) + '')
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    # Get-Help -Online opens the first link with a URI: the cmdlet's HelpUri leads, unless the
    # page already lists that address.
    $links = @($page.Links)
    if ($command.HelpUri -and -not @($links | Where-Object Uri -EQ $command.HelpUri).Count) {
        $links = @([pscustomobject]@{ Text = 'Online version:'; Uri = $command.HelpUri }) + $links
    }
    Write-RoStart $Writer 'maml:relatedLinks'
    foreach ($link in $links) {
        Write-RoStart $Writer 'maml:navigationLink'
        Write-RoElement $Writer 'maml:linkText' $link.Text
        Write-RoElement $Writer 'maml:uri' $link.Uri
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteEndElement() # command:command
}

function ConvertTo-RoMamlBytes {
    param([object[]] $Entry)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $stream = [System.IO.MemoryStream]::new()
    $writer = [System.Xml.XmlWriter]::Create($stream, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:MamlNamespace.msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($prefix in 'maml', 'command', 'dev') {
            $writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $script:MamlNamespace[$prefix])
        }
        foreach ($item in $Entry) { Write-RoCommand -Writer $writer -Entry $item }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
        $writer.Flush()
        return , $stream.ToArray()
    }
    finally {
        $writer.Dispose()
        $stream.Dispose()
    }
}

#endregion

function Test-RoHelpSource {
    <#
    .SYNOPSIS
        Checks that every exported cmdlet of an imported module has a complete reference page, without writing anything.
    .DESCRIPTION
        Throws one error listing every problem: a cmdlet without a page, a page for no cmdlet, a page without
        SYNOPSIS or DESCRIPTION text or without an example with code, a parameter without a (non-empty)
        '### -Name' section, a section for a parameter the cmdlet does not have, an include of a shared
        description (_shared/*.md) that cannot be resolved or a shared description no page includes,
        and format errors.
        Returns nothing when the source is complete.
    .EXAMPLE
        Import-Module ./out/RemoteOps/0.1.0/RemoteOps.psd1; Test-RoHelpSource -ModuleName RemoteOps -DocsPath ./docs/cmdlets
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModuleName,
        [Parameter(Mandatory)] [string] $DocsPath
    )
    $model = Get-RoHelpModel -ModuleName $ModuleName -DocsPath $DocsPath
    Assert-RoHelpModel -Model $model -ModuleName $ModuleName -Caller $PSCmdlet
    Write-Verbose "Help source for $ModuleName is complete: $($model.Entries.Count) cmdlet(s)."
}

function Build-RoMamlHelp {
    <#
    .SYNOPSIS
        Writes the MAML help file of an imported binary module from its reference pages and its cmdlets' metadata.
    .DESCRIPTION
        Validates like Test-RoHelpSource (and throws the same error), then writes the MAML file. Get-Help finds it
        when it is named '<Assembly>.dll-Help.xml' and sits in a culture folder next to the assembly
        (<moduleFolder>/en-US/RemoteOps.dll-Help.xml). Returns the written file.
    .EXAMPLE
        Build-RoMamlHelp -ModuleName RemoteOps -DocsPath ./docs/cmdlets -OutputPath ./out/RemoteOps/0.1.0/en-US/RemoteOps.dll-Help.xml
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $ModuleName,
        [Parameter(Mandatory)] [string] $DocsPath,
        [Parameter(Mandatory)] [string] $OutputPath
    )
    $model = Get-RoHelpModel -ModuleName $ModuleName -DocsPath $DocsPath
    Assert-RoHelpModel -Model $model -ModuleName $ModuleName -Caller $PSCmdlet

    $target = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutputPath)
    $expected = @($model.Entries | ForEach-Object { $_.Command.HelpFile } | Where-Object { $_ } | ForEach-Object { Split-Path -Leaf $_ } | Select-Object -Unique)
    foreach ($name in $expected) {
        if ($name -ne (Split-Path -Leaf $target)) {
            Write-Warning "Get-Help looks for '$name', not '$(Split-Path -Leaf $target)'."
        }
    }

    $bytes = ConvertTo-RoMamlBytes -Entry $model.Entries
    # Check the result is well-formed before it replaces anything.
    $check = [System.Xml.XmlDocument]::new()
    $check.Load([System.IO.MemoryStream]::new($bytes))

    $folder = Split-Path -Parent $target
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Force -Path $folder | Out-Null }
    # Written in one call, so the culture folder never holds a partial or temporary copy.
    [System.IO.File]::WriteAllBytes($target, $bytes)
    Write-Verbose "Wrote help for $($model.Entries.Count) cmdlet(s) to $target."
    Get-Item -LiteralPath $target
}

Export-ModuleMember -Function Build-RoMamlHelp, Test-RoHelpSource
