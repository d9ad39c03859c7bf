;; Windows installer of Fenqi POS (分期 POS): NSIS 3, Unicode, Modern UI 2, Simplified Chinese and English.
;;
;; Build (on Windows, after PyInstaller has built the one-folder bundle; see installer/README.md):
;;   makensis -DVERSION=0.1.0 -DSOURCE_DIR=dist\fenqi [-DOCR_DIR=dist\fenqi-ocr] [-DOUTFILE=...] [-DCOMPANY=...]
;;            installer\windows\fenqi.nsi
;;   VERSION     the version in pyproject.toml (X.Y.Z; pass VI_VERSION=X.Y.Z.W too when it is not plain numbers)
;;   SOURCE_DIR  the PyInstaller bundle: fenqi-pos.exe, fenqi.exe and _internal\
;;   OCR_DIR     optional: the OCR component (build.sh --ocr: dist\fenqi-ocr), installed as
;;               <program folder>\fenqi-ocr\site-packages where the bundle looks for it. Without it the installer
;;               has no OCR section and the application reads no photos (scanners, barcodes and typing work).
;;   OUTFILE     default: fenqi-pos-<VERSION>-windows-x64-setup.exe in the current folder
;;
;; Where things go
;;   Program files: per machine, "C:\Program Files\Fenqi POS" (admin rights), shortcuts for all users. The program
;;   folder holds only what this installer put there: the application never writes into it.
;;   Local store (SQLite database, settings, logs, staged updates): NOT here, and the installer creates none of it.
;;   The application keeps it per Windows account, in platformdirs' folder for appname "fenqi-pos" and appauthor
;;   "Fenqi" (app/kernel/paths.py): %LOCALAPPDATA%\Fenqi\fenqi-pos (settings beside the database, logs in its Logs
;;   folder), unless FENQI_HOME points elsewhere. Why per account:
;;     - the key that decrypts the personal data in the store lives in that account's Windows Credential Manager
;;       (OS keyring, service "fenqi-pos"), which no other account can read: a store shared between accounts
;;       could be opened by one account only;
;;     - a standard user cannot write under Program Files, and a store there would be shared by everyone who
;;       signs in to the PC; the per-account folder is the clerk's own, readable by that account only;
;;     - program files and data are then separate: an update replaces the program folder and leaves the store
;;       to the new version, which migrates it when it opens (keeping a safety copy).
;;   So the uninstaller removes the program folder, the shortcuts and the registry entry, and keeps the store
;;   unless asked (a checkbox, unchecked by default, or /REMOVEDATA for a silent uninstall); when asked it deletes
;;   the store of the Windows account the uninstaller runs as (SetShellVarContext current). Stores of other
;;   accounts, a FENQI_HOME folder and the data key in Credential Manager are left alone.
;;
;; Silent use:  setup.exe /S [/D=C:\Program Files\Fenqi POS]      uninstall.exe /S [/REMOVEDATA]

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

;; ---------------------------------------------------------------- build parameters
!ifndef VERSION
  !error "Pass the version: makensis -DVERSION=X.Y.Z -DSOURCE_DIR=dist\fenqi installer\windows\fenqi.nsi"
!endif
!ifndef SOURCE_DIR
  !error "Pass the PyInstaller bundle folder: -DSOURCE_DIR=dist\fenqi"
!endif
!if ! /FileExists "${SOURCE_DIR}\fenqi-pos.exe"
  !error "${SOURCE_DIR}\fenqi-pos.exe is missing: build the Windows bundle first (installer\README.md)"
!endif
!if ! /FileExists "${SOURCE_DIR}\fenqi.exe"
  !error "${SOURCE_DIR}\fenqi.exe is missing: build the Windows bundle first (installer\README.md)"
!endif
!ifdef OCR_DIR
  !if ! /FileExists "${OCR_DIR}\*"
    !error "OCR_DIR ${OCR_DIR} is not a folder"
  !endif
!endif
!ifndef OUTFILE
  !define OUTFILE "fenqi-pos-${VERSION}-windows-x64-setup.exe"
!endif
!ifndef COMPANY
  !define COMPANY "Fenqi"
!endif
!ifndef VI_VERSION  ; the four numbers Windows' version resource wants
  !searchparse /noerrors "${VERSION}" "" VER_MAJOR "." VER_MINOR "." VER_PATCH
  !ifndef VER_PATCH
    !error "VERSION ${VERSION} is not X.Y.Z: pass the four numbers too, e.g. -DVI_VERSION=0.2.0.1"
  !endif
  !define VI_VERSION "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
!endif

!define APP_NAME_EN "Fenqi POS"
!define APP_NAME_ZH "分期 POS"
!define APP_EXE "fenqi-pos.exe"
!define CLI_EXE "fenqi.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\FenqiPOS"
!define START_FOLDER "${APP_NAME_EN}"
;; Must match APP_AUTHOR and APP_NAME in app/kernel/paths.py (a test checks): platformdirs' user_data_dir on Windows is
;; %LOCALAPPDATA%\<appauthor>\<appname>, and user_config_dir is the same folder.
!define DATA_AUTHOR "Fenqi"
!define DATA_APPNAME "fenqi-pos"

Name "${APP_NAME_EN}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_NAME_EN}"
BrandingText "${APP_NAME_EN} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include nsDialogs.nsh
!include WinVer.nsh
!include x64.nsh

Var DataDir     ; the local store of the account the uninstaller runs as
Var RemoveData  ; 1 when that store is to be deleted
Var DataCheckbox

;; ---------------------------------------------------------------- pages
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "Installer Language"
!define MUI_COMPONENTSPAGE_SMALLDESC

!insertmacro MUI_PAGE_WELCOME
!define MUI_DIRECTORYPAGE_TEXT_TOP "$(DirectoryTop)"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
;; No "run the application now" box: the installer runs elevated, possibly as another (administrator) account,
;; and a first start from here would create the store in that account's folder instead of the clerk's.
!define MUI_FINISHPAGE_TEXT "$(FinishText)"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"  ; the first is the default
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

!addincludedir "${__FILEDIR__}"
!include "strings.nsh"

;; ---------------------------------------------------------------- version information (Properties > Details)
VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
!macro VERSION_KEYS LANG PRODUCT DESCRIPTION
  VIAddVersionKey /LANG=${LANG} "ProductName" "${PRODUCT}"
  VIAddVersionKey /LANG=${LANG} "CompanyName" "${COMPANY}"
  VIAddVersionKey /LANG=${LANG} "FileDescription" "${DESCRIPTION}"
  VIAddVersionKey /LANG=${LANG} "FileVersion" "${VERSION}"
  VIAddVersionKey /LANG=${LANG} "ProductVersion" "${VERSION}"
  VIAddVersionKey /LANG=${LANG} "LegalCopyright" "© ${COMPANY}"
!macroend
!insertmacro VERSION_KEYS ${LANG_ENGLISH} "${APP_NAME_EN}" "${APP_NAME_EN} setup"
!insertmacro VERSION_KEYS ${LANG_SIMPCHINESE} "${APP_NAME_ZH}" "${APP_NAME_ZH} 安装程序"

;; ---------------------------------------------------------------- shared checks
;; Whether the program files are in use. A running .exe cannot be opened for writing on Windows, so this catches
;; the counter application and any `fenqi` command (a sync, an update check), in every Windows account, without a
;; plugin; it cannot say which account. Nothing is closed for the user: a sync in progress must be let finish.
!macro IN_USE FILE  ; sets $R1 to 1 when FILE exists and cannot be opened for writing
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $R2 "${FILE}" a
    ${If} ${Errors}
      StrCpy $R1 1
    ${Else}
      FileClose $R2
    ${EndIf}
  ${EndIf}
!macroend
!macro CHECK_NOT_RUNNING UN
Function ${UN}CheckNotRunning
  ${Do}
    StrCpy $R1 0
    !insertmacro IN_USE "$INSTDIR\${APP_EXE}"
    !insertmacro IN_USE "$INSTDIR\${CLI_EXE}"
    ${If} $R1 == 0
      Return
    ${EndIf}
    ${IfNot} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY`
      SetErrorLevel 5
      Quit
    ${EndIf}
  ${Loop}
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

;; Elevated and 64-bit registry view: the installer itself is a 32-bit program.
!macro COMMON_INIT
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  ${IfNot} ${AtLeastBuild} 17763  ; Windows 10 1809, the oldest Windows Qt 6 runs on
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWindows10)" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "Admin"
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
    SetErrorLevel 740  ; ERROR_ELEVATION_REQUIRED
    Quit
  ${EndIf}
  SetRegView 64
!macroend

;; The program folder is removed whole on uninstall and on update, so it must be new, empty, or an earlier
;; Fenqi POS installation: never "C:\Program Files" itself or a folder holding someone else's files.
Function IsProgramFolder  ; pushes 1 when $INSTDIR may be used
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
  ${OrIfNot} ${FileExists} "$INSTDIR\*"
    Push 1
    Return
  ${EndIf}
  FindFirst $R0 $R1 "$INSTDIR\*"
  ${DoWhile} $R1 != ""
    ${If} $R1 != "."
    ${AndIf} $R1 != ".."
      FindClose $R0
      Push 0
      Return
    ${EndIf}
    FindNext $R0 $R1
  ${Loop}
  FindClose $R0
  Push 1
FunctionEnd

Function .onInit
  !insertmacro COMMON_INIT
  ;; An update goes where the previous version is, unless /D= chose a folder.
  ${If} $INSTDIR == "$PROGRAMFILES64\${APP_NAME_EN}"
    ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
    ${If} $0 != ""
      StrCpy $INSTDIR $0
    ${EndIf}
  ${EndIf}
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function .onVerifyInstDir
  Call IsProgramFolder
  Pop $0
  ${If} $0 != 1
    Abort  ; the Next button stays disabled
  ${EndIf}
FunctionEnd

;; ---------------------------------------------------------------- sections
Section "!$(SecProgramName)" SecProgram
  SectionIn RO
  Call IsProgramFolder  ; again: a silent install (/S /D=...) shows no directory page
  Pop $0
  ${If} $0 != 1
    MessageBox MB_OK|MB_ICONSTOP "$(FolderNotEmpty)" /SD IDOK
    SetErrorLevel 4
    Quit
  ${EndIf}
  Call CheckNotRunning
  ;; An update: the previous version's files go first, so none of them (an older DLL, a deselected OCR
  ;; component) lingers beside the new ones. The store is elsewhere and is not touched.
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    RMDir /r "$INSTDIR"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${SOURCE_DIR}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  SetShellVarContext all  ; shortcuts for every account: each one that starts the app gets its own store
  CreateDirectory "$SMPROGRAMS\${START_FOLDER}"
  CreateShortcut "$SMPROGRAMS\${START_FOLDER}\$(ShortcutApp).lnk" "$INSTDIR\${APP_EXE}"
  CreateShortcut "$SMPROGRAMS\${START_FOLDER}\$(ShortcutUninstall).lnk" "$INSTDIR\${UNINSTALLER}"
SectionEnd

!ifdef OCR_DIR
Section "$(SecOcrName)" SecOcr
  ;; The bundle's runtime hook (installer/bundle_entry/rthook_ocr.py) adds <program folder>\fenqi-ocr\site-packages
  ;; to the import path when that folder exists. OCR_DIR is either that fenqi-ocr folder (site-packages inside)
  ;; or the site-packages folder itself.
  !if /FileExists "${OCR_DIR}\site-packages\*"
    SetOutPath "$INSTDIR\fenqi-ocr"
  !else
    SetOutPath "$INSTDIR\fenqi-ocr\site-packages"
  !endif
  File /r "${OCR_DIR}\*"
SectionEnd
!endif

Section "$(SecDesktopName)" SecDesktop
  SetShellVarContext all
  CreateShortcut "$DESKTOP\$(ShortcutApp).lnk" "$INSTDIR\${APP_EXE}"
SectionEnd

;; Last, so EstimatedSize counts what the chosen sections installed.
Section "-Register"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "$(ShortcutApp)"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${COMPANY}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0  ; KiB
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "$(SecProgramDesc)"
  !ifdef OCR_DIR
    !insertmacro MUI_DESCRIPTION_TEXT ${SecOcr} "$(SecOcrDesc)"
  !endif
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

;; ---------------------------------------------------------------- uninstaller
Function un.onInit
  !insertmacro COMMON_INIT
  !insertmacro MUI_UNGETLANGUAGE
  SetShellVarContext current
  StrCpy $DataDir "$LOCALAPPDATA\${DATA_AUTHOR}\${DATA_APPNAME}"
  StrCpy $RemoveData 0
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
  Call un.CheckNotRunning
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "$(DataPageTitle)" "$(DataPageSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 40u "$(DataPageText)"
  Pop $0
  ${NSD_CreateLabel} 8u 42u -8u 24u "$DataDir"
  Pop $0
  ${NSD_CreateCheckbox} 0 72u 100% 24u "$(DataCheckbox)"
  Pop $DataCheckbox
  ${If} $RemoveData == 1
    ${NSD_Check} $DataCheckbox
  ${EndIf}
  ${IfNot} ${FileExists} "$DataDir\*"
    ${NSD_Uncheck} $DataCheckbox
    EnableWindow $DataCheckbox 0
    ${NSD_CreateLabel} 0 100u 100% 24u "$(DataPageNone)"
    Pop $0
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DataCheckbox $0
  ${If} $0 <> ${BST_CHECKED}
    StrCpy $RemoveData 0
    Return
  ${EndIf}
  ${IfNot} ${Cmd} `MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(DataConfirm)" IDYES`
    Abort  ; back to the page, the store untouched
  ${EndIf}
  StrCpy $RemoveData 1
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${START_FOLDER}\${APP_NAME_EN}.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\${APP_NAME_ZH}.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\Uninstall ${APP_NAME_EN}.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\卸载 ${APP_NAME_ZH}.lnk"
  RMDir "$SMPROGRAMS\${START_FOLDER}"
  Delete "$DESKTOP\${APP_NAME_EN}.lnk"
  Delete "$DESKTOP\${APP_NAME_ZH}.lnk"

  ;; The whole program folder: the installer made sure it held nothing else (IsProgramFolder).
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    RMDir /r "$INSTDIR"
  ${Else}
    Delete "$INSTDIR\${UNINSTALLER}"
    RMDir "$INSTDIR"
  ${EndIf}
  DeleteRegKey HKLM "${UNINST_KEY}"

  ${If} $RemoveData == 1
    SetShellVarContext current
    RMDir /r "$DataDir"
    RMDir "$LOCALAPPDATA\${DATA_AUTHOR}"  ; only when nothing else of ours is left in it
    DetailPrint "$(DataDeleted)"
  ${Else}
    DetailPrint "$(DataKept)"
  ${EndIf}
  ReadEnvStr $0 FENQI_HOME
  ${If} $0 != ""
    DetailPrint "$(FenqiHomeKept)"
  ${EndIf}
SectionEnd
