#requires -Version 7.2
<#
    Tests build/help/HelpBuilder.psm1 end to end with a throwaway binary module compiled into a
    temp folder: pages -> MAML -> Get-Help in a fresh pwsh (several UI cultures), the failures
    the builder must report, and tests/pester/Help.Tests.ps1 run against the throwaway module.

    Standalone: Invoke-Pester ./tests/pester/HelpBuilder.Tests.ps1 (needs nothing built).
    Every step that imports the throwaway module runs in a child pwsh, so this session never
    loads it; the temp folder is removed afterwards.
#>

BeforeAll {
    $script:Builder = (Resolve-Path (Join-Path $PSScriptRoot '../../build/help/HelpBuilder.psm1')).Path
    $script:HelpTests = (Resolve-Path (Join-Path $PSScriptRoot 'Help.Tests.ps1')).Path
    $script:PesterManifest = Join-Path (Get-Module Pester | Select-Object -First 1).ModuleBase 'Pester.psd1'
    $script:Root = Join-Path ([System.IO.Path]::GetTempPath()) ('rohelp-' + [guid]::NewGuid().ToString('n'))
    $script:ModuleDir = Join-Path $Root 'RoHelpFake'
    $script:Manifest = Join-Path $ModuleDir 'RoHelpFake.psd1'
    $script:HelpXml = Join-Path $ModuleDir 'en-US/RoHelpFake.dll-Help.xml'
    $script:Docs = Join-Path $Root 'docs'
    New-Item -ItemType Directory -Force -Path $ModuleDir, $Docs | Out-Null

    # Runs a script in a fresh pwsh (the one running this test) and returns its exit code and output.
    function Invoke-FreshPwsh {
        param([Parameter(Mandatory)] [string] $Script, [object[]] $ArgumentList = @())
        $file = Join-Path $Root ('child-' + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -LiteralPath $file -Value $Script -Encoding utf8NoBOM
        $exe = [Environment]::ProcessPath
        $prefix = @()
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $prefix = @(Join-Path $PSHOME 'pwsh.dll') }
        $output = & $exe @prefix -NoProfile -NonInteractive -File $file @ArgumentList 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = (@($output | ForEach-Object { "$_" }) -join "`n") }
    }

    $source = @'
using System.Collections.Generic;
using System.Management.Automation;

namespace RoHelpFake
{
    public class Widget { public string Name { get; set; } public int Id { get; set; } }

    [Cmdlet(VerbsCommon.Get, "FakeWidget", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(Widget))]
    public class GetFakeWidget : PSCmdlet
    {
        [Parameter(ParameterSetName = "ByName", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("WidgetName")]
        [SupportsWildcards]
        public string[] Name { get; set; }

        [Parameter(ParameterSetName = "ById", Mandatory = true, ValueFromPipeline = true)]
        public int Id { get; set; }

        [Parameter(ParameterSetName = "ByName", Position = 1)]
        [Parameter(ParameterSetName = "ById", Mandatory = true)]
        public string Tag { get; set; }

        [Parameter]
        public SwitchParameter Detailed { get; set; }

        [Parameter]
        public string Owner { get; set; }

        protected override void ProcessRecord() { WriteObject(new Widget { Name = Name == null ? null : Name[0], Id = Id }); }
    }

    [Cmdlet(VerbsCommon.Set, "FakeWidget", SupportsShouldProcess = true, HelpUri = "https://example.invalid/help/Set-FakeWidget")]
    public class SetFakeWidget : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; }

        [Parameter]
        public Dictionary<string, int> Size { get; set; }

        [Parameter]
        public string Owner { get; set; }

        protected override void ProcessRecord() { if (ShouldProcess(Name, "Resize")) { WriteObject(Name); } }
    }
}
'@
    Add-Type -TypeDefinition $source -OutputAssembly (Join-Path $ModuleDir 'RoHelpFake.dll')
    New-ModuleManifest -Path $Manifest -RootModule 'RoHelpFake.dll' -ModuleVersion '1.0.0' -CmdletsToExport 'Get-FakeWidget', 'Set-FakeWidget' `
        -FunctionsToExport @() -AliasesToExport @() -VariablesToExport @()

    $script:Pages = @{
        'Get-FakeWidget.md' = @'
# Get-FakeWidget

## SYNOPSIS
Gets fake widgets <by name> & "by id".

## DESCRIPTION
Get-FakeWidget returns widgets from nowhere. This sentence is wrapped
over two lines in the page.

It also keeps lists:
- first item
- second item

## EXAMPLES

### Example 1: Get a widget by name
```powershell
Get-FakeWidget -Name 'w*' # markers: <tag> & ampersand
```

Gets every widget whose name starts with w.

### Example 2: Pipe ids
```powershell
1, 2 | Get-FakeWidget -Tag blue
```

Widget ids bind to -Id from the pipeline.

## PARAMETERS

### -Name
Names of the widgets, wildcards allowed.

### -Id
Identifier of the widget.

### -Tag
Colour tag of the widget.

### -Detailed
Adds the detail columns.

### -Owner
[Shared: -Owner](_shared/Parameters.md#-owner)

## INPUTS

### System.Int32
Ids bind to -Id.

## OUTPUTS

### RoHelpFake.Widget
One object per widget.

## NOTES
Widgets are imaginary.

## RELATED LINKS
[Widget guide](https://example.invalid/widgets)
Set-FakeWidget
'@
        'Set-FakeWidget.md' = @'
# Set-FakeWidget

## SYNOPSIS
Resizes a fake widget.

## DESCRIPTION
Set-FakeWidget changes the size of a widget.

## EXAMPLES

### Example 1: Preview a resize
```powershell
Set-FakeWidget -Name w1 -Size @{ x = 2 } -WhatIf
```

Shows the change without making it.

## PARAMETERS

### -Name
Name of the widget to resize.

### -Size
New size, one entry per axis.

### -Owner
[Shared: -Owner](_shared/Parameters.md#-owner)

Set-FakeWidget hands the widget over to this owner.
'@
        # Written once, included by both pages; the comment and the title are not part of any description.
        '_shared/Parameters.md' = @'
# Shared parameter descriptions

<!-- Included with [text](_shared/Parameters.md#-owner). -->

## -Owner
The owner of the widget,
as user@domain.

Owners are imaginary too.
'@
    }
    # Writes the pages (and the shared folder) into a docs folder.
    function Write-Page([string] $Folder) {
        foreach ($name in $Pages.Keys) {
            $path = Join-Path $Folder $name
            New-Item -ItemType Directory -Force -Path (Split-Path -Parent $path) | Out-Null
            Set-Content -LiteralPath $path -Value $Pages[$name] -Encoding utf8NoBOM
        }
    }
    Write-Page $Docs
}

AfterAll {
    if ($script:Root -and (Test-Path -LiteralPath $script:Root)) { Remove-Item -LiteralPath $script:Root -Recurse -Force }
}

Describe 'Build-RoMamlHelp' -Tag 'CI' {
    BeforeAll {
        # Builds in a child process, as build.ps1 does: builder and module imported, then the build.
        $script:Build = Invoke-FreshPwsh -ArgumentList $Builder, $Manifest, $Docs, $HelpXml -Script @'
param($Builder, $Manifest, $Docs, $Output)
$ErrorActionPreference = 'Stop'
Import-Module $Builder
Import-Module $Manifest
Test-RoHelpSource -ModuleName RoHelpFake -DocsPath $Docs
(Build-RoMamlHelp -ModuleName RoHelpFake -DocsPath $Docs -OutputPath $Output -WarningAction Stop).FullName
'@
    }

    It 'succeeds and returns the file it wrote, en-US/RoHelpFake.dll-Help.xml next to the assembly' {
        $Build.ExitCode | Should -Be 0 -Because $Build.Output
        $Build.Output.Trim() | Should -Be $HelpXml
        Test-Path -LiteralPath $HelpXml | Should -BeTrue
    }

    Context 'the MAML file' {
        BeforeAll {
            $script:Xml = [xml] (Get-Content -Raw -LiteralPath $HelpXml)
            $script:Ns = [System.Xml.XmlNamespaceManager]::new($Xml.NameTable)
            $Ns.AddNamespace('msh', 'http://msh')
            $Ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
            $Ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
            $Ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
            # Always an array: a single XmlElement would index into its own child nodes.
            function Select-Maml([string] $XPath, $Node = $Xml) { , [object[]] @($Node.SelectNodes($XPath, $Ns)) }
            $script:Get = Select-Maml "/msh:helpItems/command:command[command:details/command:name='Get-FakeWidget']"
            $script:Set = Select-Maml "/msh:helpItems/command:command[command:details/command:name='Set-FakeWidget']"
        }

        It 'holds one command element per cmdlet' {
            (Select-Maml '/msh:helpItems[@schema="maml"]/command:command').Count | Should -Be 2
            $Get.Count | Should -Be 1
            $Set.Count | Should -Be 1
        }

        It 'has details with verb, noun and the synopsis, escaped correctly' {
            (Select-Maml 'command:details/command:verb' $Get[0])[0].InnerText | Should -Be 'Get'
            (Select-Maml 'command:details/command:noun' $Get[0])[0].InnerText | Should -Be 'FakeWidget'
            (Select-Maml 'command:details/maml:description/maml:para' $Get[0])[0].InnerText | Should -Be 'Gets fake widgets <by name> & "by id".'
        }

        It 'has one syntax item per parameter set, default set first' {
            $items = Select-Maml 'command:syntax/command:syntaxItem' $Get[0]
            $items.Count | Should -Be 2
            @(Select-Maml 'command:parameter/maml:name' $items[0]).InnerText | Should -Be @('Name', 'Tag', 'Detailed', 'Owner')
            @(Select-Maml 'command:parameter/maml:name' $items[1]).InnerText | Should -Be @('Id', 'Tag', 'Detailed', 'Owner')
        }

        It 'takes required, position, pipeline input, aliases and wildcards from the cmdlet' {
            $name = (Select-Maml "command:parameters/command:parameter[maml:name='Name']" $Get[0])[0]
            $name.required | Should -Be 'true'
            $name.position | Should -Be '0'
            $name.pipelineInput | Should -Be 'True (ByPropertyName)'
            $name.aliases | Should -Be 'WidgetName'
            $name.globbing | Should -Be 'true'
            (Select-Maml 'dev:type/maml:name' $name)[0].InnerText | Should -Be 'System.String[]'
            (Select-Maml 'command:parameterValue' $name)[0].InnerText | Should -Be 'String[]'
            $id = (Select-Maml "command:parameters/command:parameter[maml:name='Id']" $Get[0])[0]
            $id.pipelineInput | Should -Be 'True (ByValue)'
            $id.position | Should -Be 'named'
            $id.globbing | Should -Be 'false'
            $id.aliases | Should -Be 'none'
        }

        It 'takes a shared description, written once, into every page that includes it, with the page''s own text after it' {
            $shared = @('The owner of the widget, as user@domain.', 'Owners are imaginary too.')
            $getOwner = (Select-Maml "command:parameters/command:parameter[maml:name='Owner']" $Get[0])[0]
            @((Select-Maml 'maml:description/maml:para' $getOwner).InnerText) | Should -Be $shared
            $setOwner = (Select-Maml "command:parameters/command:parameter[maml:name='Owner']" $Set[0])[0]
            @((Select-Maml 'maml:description/maml:para' $setOwner).InnerText) | Should -Be ($shared + 'Set-FakeWidget hands the widget over to this owner.')
            $Xml.OuterXml | Should -Not -Match '_shared'
        }

        It 'spells out a parameter whose metadata differs between sets' {
            $tag = (Select-Maml "command:parameters/command:parameter[maml:name='Tag']" $Get[0])[0]
            $tag.required | Should -Be 'false'
            $tag.position | Should -Be 'ByName: 1; ById: named'
            $tag.description.InnerText | Should -Match 'ById: required'
        }

        It 'adds -WhatIf and -Confirm with a standard description when the cmdlet supports ShouldProcess' {
            foreach ($n in 'WhatIf', 'Confirm') {
                $p = Select-Maml "command:parameters/command:parameter[maml:name='$n']" $Set[0]
                $p.Count | Should -Be 1
                $p[0].description.InnerText | Should -Not -BeNullOrEmpty
            }
            (Select-Maml "command:parameters/command:parameter[maml:name='WhatIf']" $Get[0]).Count | Should -Be 0
        }

        It 'documents no other common parameter' {
            (Select-Maml "//command:parameter[maml:name='Verbose' or maml:name='ErrorAction' or maml:name='ProgressAction']").Count | Should -Be 0
        }

        It 'has inputs, outputs, notes, examples and links from the page' {
            (Select-Maml 'command:inputTypes/command:inputType/dev:type/maml:name' $Get[0])[0].InnerText | Should -Be 'System.Int32'
            (Select-Maml 'command:returnValues/command:returnValue/dev:type/maml:name' $Get[0])[0].InnerText | Should -Be 'RoHelpFake.Widget'
            (Select-Maml 'maml:alertSet/maml:alert/maml:para' $Get[0])[0].InnerText | Should -Be 'Widgets are imaginary.'
            $examples = Select-Maml 'command:examples/command:example' $Get[0]
            $examples.Count | Should -Be 2
            (Select-Maml 'dev:code' $examples[0])[0].InnerText | Should -Be "Get-FakeWidget -Name 'w*' # markers: <tag> & ampersand"
            (Select-Maml 'maml:title' $examples[0])[0].InnerText | Should -Match 'Example 1: Get a widget by name'
            $links = Select-Maml 'maml:relatedLinks/maml:navigationLink' $Get[0]
            $links.Count | Should -Be 2
            (Select-Maml 'maml:uri' $links[0])[0].InnerText | Should -Be 'https://example.invalid/widgets'
            (Select-Maml 'maml:linkText' $links[1])[0].InnerText | Should -Be 'Set-FakeWidget'
        }

        It 'puts the cmdlet''s HelpUri first in the related links, for Get-Help -Online' {
            $links = Select-Maml 'maml:relatedLinks/maml:navigationLink' $Set[0]
            $links.Count | Should -BeGreaterThan 0
            (Select-Maml 'maml:linkText' $links[0])[0].InnerText | Should -Be 'Online version:'
            (Select-Maml 'maml:uri' $links[0])[0].InnerText | Should -Be 'https://example.invalid/help/Set-FakeWidget'
        }

        It 'derives inputs from pipeline binding when the page has no INPUTS section' {
            (Select-Maml 'command:inputTypes/command:inputType/maml:description/maml:para' $Set[0])[0].InnerText | Should -Match '-Name'
        }
    }

    # Get-Help looks in <module>/<UI culture and its parents>, then <module>, then en-US: the file
    # in en-US must be found in every culture, the invariant one included (LANG=C.UTF-8).
    Context 'Get-Help in a fresh pwsh with UI culture "<Culture>"' -ForEach @(
        @{ Culture = '' }, @{ Culture = 'en-US' }, @{ Culture = 'de-DE' }
    ) {
        BeforeAll {
            $script:Shown = Invoke-FreshPwsh -ArgumentList $Manifest, $Culture -Script @'
param($Manifest, $Culture)
$ErrorActionPreference = 'Stop'
[System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo($Culture)
Import-Module $Manifest
"CULTURE=[$([System.Globalization.CultureInfo]::CurrentUICulture.Name)]"
'=====FULL-GET'
Get-Help Get-FakeWidget -Full | Out-String -Width 250
'=====FULL-SET'
Get-Help Set-FakeWidget -Full | Out-String -Width 250
'=====PARAM-NAME'
Get-Help Get-FakeWidget -Parameter Name | Out-String -Width 250
'=====PARAM-WHATIF'
Get-Help Set-FakeWidget -Parameter WhatIf | Out-String -Width 250
'=====EXAMPLES'
Get-Help Get-FakeWidget -Examples | Out-String -Width 250
'=====END'
# Only known once Get-Help has searched for the file.
"HELPFILE=$((Get-Command Get-FakeWidget).HelpFile)"

'@
            function Get-Part([string] $Name) {
                if ($Shown.Output -match "(?s)=====$Name\s*\n(.*?)=====") { return $Matches[1] }
                throw "Part $Name missing from the child output: $($Shown.Output)"
            }
        }

        It 'runs in that culture and finds the file in en-US' {
            $Shown.ExitCode | Should -Be 0 -Because $Shown.Output
            $Shown.Output | Should -Match ([regex]::Escape("CULTURE=[$Culture]"))
            $Shown.Output | Should -Match ([regex]::Escape("HELPFILE=$HelpXml"))
        }

        It 'shows synopsis, description, syntax, every parameter description and the examples with -Full' {
            $full = Get-Part 'FULL-GET'
            $full | Should -Match ([regex]::Escape('Gets fake widgets <by name> & "by id".'))
            $full | Should -Match 'This sentence is wrapped over two lines in the page\.'
            $full | Should -Match '- first item\s*\n\s*- second item'
            $full | Should -Match ([regex]::Escape('Get-FakeWidget [-Name] <String[]> [[-Tag] <String>] [-Detailed] [-Owner <String>] [<CommonParameters>]'))
            $full | Should -Match ([regex]::Escape('Get-FakeWidget -Id <Int32> -Tag <String> [-Detailed] [-Owner <String>] [<CommonParameters>]'))
            foreach ($text in 'Names of the widgets, wildcards allowed.', 'Identifier of the widget.', 'Colour tag of the widget.', 'Adds the detail columns.',
                'The owner of the widget, as user@domain.', 'Owners are imaginary too.') {
                $full | Should -Match ([regex]::Escape($text))
            }
            $full | Should -Match 'Example 1: Get a widget by name'
            $full | Should -Match ([regex]::Escape("Get-FakeWidget -Name 'w*' # markers: <tag> & ampersand"))
            $full | Should -Match 'Gets every widget whose name starts with w\.'
            $full | Should -Match 'Example 2: Pipe ids'
            $full | Should -Match 'Widgets are imaginary\.'
            $full | Should -Match 'Widget guide'
        }

        It 'shows the -WhatIf and -Confirm descriptions of a ShouldProcess cmdlet' {
            $full = Get-Part 'FULL-SET'
            $full | Should -Match ([regex]::Escape('Set-FakeWidget [-Name] <String> [-Size <Dictionary[String, Int32]>] [-Owner <String>] [-WhatIf] [-Confirm] [<CommonParameters>]'))
            $full | Should -Match 'Name of the widget to resize\.'
            $full | Should -Match '(?s)The owner of the widget, as user@domain\..*Owners are imaginary too\..*Set-FakeWidget hands the widget over to this owner\.'
            $full | Should -Match 'New size, one entry per axis\.'
            $full | Should -Match '-WhatIf \[<SwitchParameter>\]\s*\n\s*\S'
            $full | Should -Match '-Confirm \[<SwitchParameter>\]\s*\n\s*\S'
        }

        It 'answers Get-Help -Parameter' {
            $name = Get-Part 'PARAM-NAME'
            $name | Should -Match '-Name <String\[\]>'
            $name | Should -Match 'Names of the widgets, wildcards allowed\.'
            $name | Should -Match 'Required\?\s+true'
            $name | Should -Match 'Position\?\s+0'
            $name | Should -Match 'Accept pipeline input\?\s+True \(ByPropertyName\)'
            $name | Should -Match 'Aliases\s+WidgetName'
            $name | Should -Match 'Accept wildcard characters\?\s+true'
            Get-Part 'PARAM-WHATIF' | Should -Match '-WhatIf \[<SwitchParameter>\]\s*\n\s*\S'
        }

        It 'shows the examples with -Examples' {
            $examples = Get-Part 'EXAMPLES'
            $examples | Should -Match 'Example 1: Get a widget by name'
            $examples | Should -Match ([regex]::Escape('1, 2 | Get-FakeWidget -Tag blue'))
            $examples | Should -Match 'Widget ids bind to -Id from the pipeline\.'
        }
    }

    Context 'tests/pester/Help.Tests.ps1 against the throwaway module' {
        BeforeAll {
            $script:RunHelpTests = {
                param([string] $ManifestPath)
                Invoke-FreshPwsh -ArgumentList $PesterManifest, $HelpTests, $ManifestPath -Script @'
param($Pester, $Tests, $Manifest)
$env:REMOTEOPS_MODULE_PATH = $Manifest
Import-Module $Pester
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Tests
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'None'
$result = Invoke-Pester -Configuration $configuration
"RESULT passed=$($result.PassedCount) failed=$($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount)"
'@
            }
        }

        It 'passes with the generated help' {
            $run = & $RunHelpTests $Manifest
            $run.Output | Should -Match 'RESULT passed=17 failed=0'
        }

        It 'fails when the module has no help file' {
            $bare = Join-Path $Root 'bare/RoHelpFake'
            New-Item -ItemType Directory -Force -Path $bare | Out-Null
            Copy-Item -LiteralPath (Join-Path $ModuleDir 'RoHelpFake.dll'), $Manifest -Destination $bare
            $run = & $RunHelpTests (Join-Path $bare 'RoHelpFake.psd1')
            $run.Output | Should -Match 'RESULT passed=1 failed=16'
        }
    }
}

Describe 'Help source validation' -Tag 'CI' {
    BeforeAll {
        # Each case is a copy of the good pages with one or more faults.
        $script:Cases = [ordered]@{
            'missing-page'         = { Remove-Item (Join-Path $args[0] 'Set-FakeWidget.md') }
            'page-for-no-cmdlet'   = { Set-Content (Join-Path $args[0] 'Remove-FakeWidget.md') "# Remove-FakeWidget`n## SYNOPSIS`nx`n## DESCRIPTION`nx`n## EXAMPLES`n### Example 1`n``````powershell`nx`n```````n" }
            'lone-carriage-return' = { $f = Join-Path $args[0] 'Set-FakeWidget.md'; (Get-Content -Raw $f) -replace 'Resizes a fake widget\.', "Resizes a fake`rwidget." | Set-Content $f }
            'empty-synopsis'       = { $f = Join-Path $args[0] 'Set-FakeWidget.md'; (Get-Content -Raw $f) -replace 'Resizes a fake widget\.', '' | Set-Content $f }
            'no-description'       = { $f = Join-Path $args[0] 'Set-FakeWidget.md'; (Get-Content -Raw $f) -replace '(?s)## DESCRIPTION.*?(?=## EXAMPLES)', '' | Set-Content $f }
            'example-without-code' = { $f = Join-Path $args[0] 'Set-FakeWidget.md'; (Get-Content -Raw $f) -replace '(?s)```powershell.*?```', '' | Set-Content $f }
            'undocumented-param'   = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '(?s)### -Id.*?(?=### -Tag)', '' | Set-Content $f }
            'empty-param'          = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace 'Colour tag of the widget\.', '' | Set-Content $f }
            'unknown-param'        = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '### -Detailed', "### -Colour`nNot a parameter.`n`n### -Detailed" | Set-Content $f }
            'common-param'         = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '### -Detailed', "### -Verbose`nTalks.`n`n### -Detailed" | Set-Content $f }
            'whatif-without-shouldprocess' = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '### -Detailed', "### -WhatIf`nPreview.`n`n### -Detailed" | Set-Content $f }
            'syntax-and-yaml'      = { $f = Join-Path $args[0] 'Set-FakeWidget.md'; (Get-Content -Raw $f) -replace '## DESCRIPTION', "## SYNTAX`nSet-FakeWidget -Name x`n`n## DESCRIPTION" -replace 'New size, one entry per axis\.', "New size.`n`n``````yaml`nType: Dictionary`n```````n" | Set-Content $f }
            'include-missing-anchor' = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '#-owner\)', '#-ownr)' | Set-Content $f }
            'include-missing-file' = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '_shared/Parameters\.md', '_shared/Other.md' | Set-Content $f }
            'include-wrong-parameter' = {
                Add-Content (Join-Path $args[0] '_shared/Parameters.md') "`n## -Colour`nA colour.`n"
                $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace 'Adds the detail columns\.', '[Shared: -Colour](_shared/Parameters.md#-colour)' | Set-Content $f
            }
            'include-not-alone'    = { $f = Join-Path $args[0] 'Get-FakeWidget.md'; (Get-Content -Raw $f) -replace '\[Shared: -Owner\]', 'See [Shared: -Owner]' | Set-Content $f }
            'shared-unused'        = { Add-Content (Join-Path $args[0] '_shared/Parameters.md') "`n## -Spare (for later)`nNobody includes this.`n" }
            'shared-empty'         = { $f = Join-Path $args[0] '_shared/Parameters.md'; (Get-Content -Raw $f) -replace '(?s)## -Owner.*', "## -Owner`n" | Set-Content $f }
            'shared-bad-heading'   = { Add-Content (Join-Path $args[0] '_shared/Parameters.md') "`n## Owner notes`nText.`n" }
            'shared-open-fence'    = { Add-Content (Join-Path $args[0] '_shared/Parameters.md') "`n## -Spare`n``````powershell`nGet-FakeWidget`n" }
            'many-faults'          = {
                Remove-Item (Join-Path $args[0] 'Set-FakeWidget.md')
                $f = Join-Path $args[0] 'Get-FakeWidget.md'
                (Get-Content -Raw $f) -replace '(?s)### -Id.*?(?=### -Tag)', '' -replace '### -Detailed', "### -Colour`nNot a parameter.`n`n### -Detailed" | Set-Content $f
            }
        }
        foreach ($case in $Cases.Keys) {
            $dir = Join-Path $Root "cases/$case"
            New-Item -ItemType Directory -Force -Path $dir | Out-Null
            Write-Page $dir
            & $Cases[$case] $dir
        }

        # One child process runs every case: Test-RoHelpSource and Build-RoMamlHelp must both fail,
        # and the build must not write its file.
        $run = Invoke-FreshPwsh -ArgumentList $Builder, $Manifest, (Join-Path $Root 'cases'), (Join-Path $Root 'case-out') -Script @'
param($Builder, $Manifest, $CasesRoot, $OutRoot)
$ErrorActionPreference = 'Stop'
Import-Module $Builder
$result = [ordered]@{}
try { Test-RoHelpSource -ModuleName RoHelpFake -DocsPath $CasesRoot; $result['not-imported'] = @{ Test = '' } }
catch { $result['not-imported'] = @{ Test = $_.Exception.Message } }
Import-Module $Manifest
foreach ($dir in Get-ChildItem -LiteralPath $CasesRoot -Directory) {
    $out = Join-Path $OutRoot "$($dir.Name)/en-US/RoHelpFake.dll-Help.xml"
    $entry = @{ Test = ''; Build = ''; Written = $false }
    try { Test-RoHelpSource -ModuleName RoHelpFake -DocsPath $dir.FullName } catch { $entry.Test = $_.Exception.Message }
    try { $null = Build-RoMamlHelp -ModuleName RoHelpFake -DocsPath $dir.FullName -OutputPath $out } catch { $entry.Build = $_.Exception.Message }
    $entry.Written = Test-Path -LiteralPath $out
    $result[$dir.Name] = $entry
}
'JSON:' + ($result | ConvertTo-Json -Compress -Depth 4)
'@
        if ($run.Output -notmatch '(?m)^JSON:(.*)$') { throw "The validation run failed: $($run.Output)" }
        $script:Outcome = $Matches[1] | ConvertFrom-Json -AsHashtable
    }

    It 'refuses to run when the module is not imported' {
        $Outcome['not-imported'].Test | Should -Match 'not imported'
    }

    It '<Case>: Test-RoHelpSource and Build-RoMamlHelp fail with "<Expected>" and write nothing' -ForEach @(
        @{ Case = 'missing-page'; Expected = 'Set-FakeWidget: no page' }
        @{ Case = 'page-for-no-cmdlet'; Expected = 'Remove-FakeWidget is not a cmdlet of RoHelpFake' }
        @{ Case = 'lone-carriage-return'; Expected = 'Set-FakeWidget.md:4: contains a control character, which XML cannot hold' }
        @{ Case = 'empty-synopsis'; Expected = 'SYNOPSIS has no text' }
        @{ Case = 'no-description'; Expected = "no '## DESCRIPTION' section" }
        @{ Case = 'example-without-code'; Expected = "example 'Example 1: Preview a resize' has no code block" }
        @{ Case = 'undocumented-param'; Expected = 'parameter -Id of Get-FakeWidget is not documented' }
        @{ Case = 'empty-param'; Expected = '-Tag has no description' }
        @{ Case = 'unknown-param'; Expected = 'Get-FakeWidget has no parameter -Colour' }
        @{ Case = 'common-param'; Expected = '-Verbose is a common parameter' }
        @{ Case = 'whatif-without-shouldprocess'; Expected = 'Get-FakeWidget has no parameter -WhatIf' }
        @{ Case = 'syntax-and-yaml'; Expected = "remove '## SYNTAX'" }
        @{ Case = 'syntax-and-yaml'; Expected = 'remove the yaml block of -Size' }
        @{ Case = 'include-missing-anchor'; Expected = "-Owner includes '_shared/Parameters.md#-ownr', which does not exist (shared descriptions of -Owner: _shared/Parameters.md#-owner)" }
        @{ Case = 'include-missing-file'; Expected = "-Owner includes '_shared/Other.md#-owner', which does not exist" }
        @{ Case = 'include-wrong-parameter'; Expected = '-Detailed includes the shared description of -Colour (_shared/Parameters.md#-colour); include one written for -Detailed' }
        @{ Case = 'include-not-alone'; Expected = '-Owner: a link into _shared/ must be a paragraph of its own' }
        @{ Case = 'shared-unused'; Expected = "_shared/Parameters.md:11: shared description '-Spare (for later)' is included by no page" }
        @{ Case = 'shared-empty'; Expected = "_shared/Parameters.md:5: shared description '-Owner' has no text" }
        @{ Case = 'shared-bad-heading'; Expected = "shared heading '## Owner notes' must be '## -Name' or '## -Name (variant)'" }
        @{ Case = 'shared-open-fence'; Expected = '_shared/Parameters.md:12: code fence is never closed' }
    ) {
        $entry = $Outcome[$Case]
        $entry.Test | Should -Match ([regex]::Escape($Expected))
        $entry.Build | Should -Be $entry.Test
        $entry.Written | Should -BeFalse
    }

    It 'lists every problem in one error' {
        $message = $Outcome['many-faults'].Build
        $message | Should -Match '3 problem\(s\)'
        $message | Should -Match 'Set-FakeWidget: no page'
        $message | Should -Match 'parameter -Id of Get-FakeWidget is not documented'
        $message | Should -Match 'Get-FakeWidget has no parameter -Colour'
    }

    It 'names the page file and line of a problem' {
        $Outcome['unknown-param'].Test | Should -Match 'Get-FakeWidget\.md:\d+: Get-FakeWidget has no parameter -Colour'
    }
}
