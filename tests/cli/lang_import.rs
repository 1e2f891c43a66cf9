//! Issue 16 item 9: `import --lang ko` says its report and why a file cannot be read in Korean
//! (file:line:column, ids and names stay as they are); `audit --lang ko` says its paths' hops
//! and `reach --expect … --lang ko` its offending cells in Korean. English is unchanged.

use std::process::{Command, Output};

fn vpcraft(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vpcraft")).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A template in a folder of its own (removed when the test ends).
struct Template(std::path::PathBuf);

impl Template {
    fn new(name: &str, text: &str) -> Template {
        let dir = std::env::temp_dir().join(format!("vpcraft-lang-import-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("written");
        Template(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 path")
    }
}

impl Drop for Template {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const FARGATE: &str = "Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  IGW:
    Type: AWS::EC2::InternetGateway
  ECSRole:
    Type: AWS::IAM::Role
  ECSTaskExecutionRole:
    Type: AWS::IAM::Role
";

const NEEDS_PARAM: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  vpccidr:
    Type: String
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref vpccidr
";

#[test]
fn import_report_in_korean() {
    let t = Template::new("fargate.yaml", FARGATE);
    let ko = stderr(&vpcraft(&["import", t.path(), "-o", "-", "--lang", "ko"]));
    for want in [
        &format!("{} 가져오기\n", t.path()),
        "  가져온 것: VPC 1개, 인터넷 게이트웨이 1개,",
        "  경고 2개:\n",
        "    AWS::IAM::Role: vpcraft가 다루는 네트워크 리소스가 아닙니다: ECSRole, ECSTaskExecutionRole 건너뜀\n",
        "    AWS::Region: 템플릿에 리전이 없습니다: us-east-1(으)로 가정했습니다 (--region으로 지정하세요)\n",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    let en = stderr(&vpcraft(&["import", t.path(), "-o", "-"]));
    assert!(en.starts_with(&format!("import of {}\n  imported: 1 VPC, 1 internet gateway,", t.path())), "{en}");
    assert!(
        en.ends_with("    AWS::Region: a template does not say its region: us-east-1 assumed (give --region)\n"),
        "{en}"
    );
    assert!(en.contains("  2 warnings:\n    AWS::IAM::Role: not a network resource vpcraft models: skipped ECSRole, ECSTaskExecutionRole\n"), "{en}");
}

#[test]
fn a_file_that_cannot_be_read_says_why_in_korean() {
    let t = Template::new("3tier.yaml", NEEDS_PARAM);
    let p = t.path();
    let o = vpcraft(&["import", p, "-o", "-", "--lang", "ko"]);
    assert_eq!(o.status.code(), Some(2));
    let ko = stderr(&o);
    assert_eq!(
        ko,
        format!(
            "vpcraft: {p}:3:3: 파라미터 `vpccidr`(String)에 값이 없습니다: 템플릿에 Default가 없고 \
             재정의도 주어지지 않았습니다 (--param vpccidr=VALUE를 쓰세요)\n"
        )
    );
    let en = stderr(&vpcraft(&["check", p]));
    assert!(
        en.ends_with(
            "has no value: the template gives no Default and no override was passed (use --param vpccidr=VALUE)\n"
        ),
        "{en}"
    );
    // `check` says it in Korean too.
    assert!(stderr(&vpcraft(&["check", p, "--lang", "ko"])).contains("파라미터 `vpccidr`(String)에 값이 없습니다"));
}

#[test]
fn audit_paths_in_korean() {
    let o = vpcraft(&["audit", "example:endpoint-lab", "--lang", "ko"]);
    let ko = String::from_utf8_lossy(&o.stdout);
    assert!(ko.contains(" → 인터넷 게이트웨이 jhIGW (igw-0001) → 네트워크 ACL jhVPC-default (acl-0001) → "), "{ko}");
    assert!(ko.contains(" → 인스턴스 jhPublicEC2 (i-0001)\n"), "{ko}");
    assert!(!ko.contains("internet-gateway"), "{ko}");
    let o = vpcraft(&["audit", "example:endpoint-lab"]);
    let en = String::from_utf8_lossy(&o.stdout);
    assert!(
        en.contains("    path: internet internet host (198.51.100.10) → internet-gateway jhIGW (igw-0001) → "),
        "{en}"
    );
}

#[test]
fn reach_expect_lists_its_cells_in_korean() {
    let o = vpcraft(&["reach", "example:endpoint-lab", "--expect", "delivered", "--lang", "ko"]);
    assert_eq!(o.status.code(), Some(1));
    let ko = stderr(&o);
    assert!(ko.starts_with("vpcraft: 모든 셀이 전달되어야 하는데 2개는 아닙니다:\n  "), "{ko}");
    assert!(ko.contains("에서 차단됨 "), "{ko}");
    assert!(!ko.contains("dropped"), "{ko}");
    let o = vpcraft(&["reach", "example:endpoint-lab", "--expect", "delivered"]);
    let en = stderr(&o);
    assert!(en.starts_with("vpcraft: expected every cell delivered, but 2 are not:\n  "), "{en}");
    assert!(en.contains(": dropped "), "{en}");
}

/// A Terraform folder of its own (removed when the test ends).
struct Folder(std::path::PathBuf);

impl Folder {
    fn new(name: &str, main_tf: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("vpcraft-lang-tf-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder");
        std::fs::write(dir.join("main.tf"), main_tf).expect("written");
        Folder(dir)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 path")
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Three English words in a row (a sentence left in English): paths, ids and quoted values
/// have none.
fn english_left(s: &str) -> Option<String> {
    for line in s.lines() {
        let mut run = Vec::new();
        for tok in line.split_whitespace() {
            let w = tok.trim_matches(|c: char| ",.:;()".contains(c));
            if w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase() || c == '\'') {
                run.push(w);
                if run.len() >= 3 {
                    return Some(run.join(" "));
                }
            } else {
                run.clear();
            }
        }
    }
    None
}

/// Issue 16 item 9: the Terraform reader says why a configuration cannot be read in Korean,
/// at the same file:line:column as in English; English is byte for byte as before.
#[test]
fn terraform_errors_in_korean() {
    let cases: [(&str, &str, &str, &str); 3] = [
        (
            "function",
            "resource \"aws_vpc\" \"main\" {\n  cidr_block = nosuch(\"10.0.0.0/16\")\n}\n",
            "main.tf:2:16: there is no function named \"nosuch\"",
            "main.tf:2:16: \"nosuch\"(이)라는 함수는 없습니다",
        ),
        (
            "cidrsubnet",
            "resource \"aws_vpc\" \"main\" {\n  cidr_block = cidrsubnet(\"10.0.0.0/16\", 20, 1)\n}\n",
            "main.tf:2:16: cannot extend a /16 prefix by 20 bits (at most 16 for this family)",
            "main.tf:2:16: /16 접두사를 20비트 늘릴 수 없습니다 (이 주소 체계에서는 최대 16비트)",
        ),
        (
            "variable",
            "variable \"cidr\" {}\n\nresource \"aws_vpc\" \"main\" {\n  cidr_block = var.cidr\n}\n",
            "main.tf:1:1: the variable \"cidr\" (declared at {dir}/main.tf:1:1) has no value: give it with --var, \
             --var-file, a terraform.tfvars file or TF_VAR_cidr",
            "main.tf:1:1: 변수 \"cidr\"({dir}/main.tf:1:1에서 선언)에 값이 없습니다: --var, --var-file, \
             terraform.tfvars 파일 또는 TF_VAR_cidr(으)로 값을 주세요",
        ),
    ];
    for (name, tf, en_want, ko_want) in cases {
        let f = Folder::new(name, tf);
        let p = f.path();
        let en_want = format!("vpcraft: {p}/{}\n", en_want.replace("{dir}", p));
        let ko_want = format!("vpcraft: {p}/{}\n", ko_want.replace("{dir}", p));
        let o = vpcraft(&["import", p, "-o", "-"]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        assert_eq!(stderr(&o), en_want, "{name}");
        for cmd in ["import", "check"] {
            let mut args = vec![cmd, p];
            if cmd == "import" {
                args.extend(["-o", "-"]);
            }
            args.extend(["--lang", "ko"]);
            let ko = stderr(&vpcraft(&args));
            assert_eq!(ko, ko_want, "{name} ({cmd})");
            let without_path = ko.replace(p, "");
            assert_eq!(english_left(&without_path), None, "{name} ({cmd}): {ko}");
        }
    }
}

/// A resource vpcraft does not model is skipped with a reason said in Korean, and nothing
/// in the import report is left in English.
#[test]
fn terraform_import_report_in_korean() {
    let f = Folder::new(
        "bucket",
        "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nresource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n\n\
         resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n\nresource \"aws_flow_log\" \"all\" {\n  vpc_id = aws_vpc.main.id\n}\n",
    );
    let p = f.path();
    let ko = stderr(&vpcraft(&["import", p, "-o", "-", "--lang", "ko"]));
    for want in [
        "    aws_flow_log: 흐름 로그는 패킷이 가는 곳을 바꾸지 않습니다: aws_flow_log.all 건너뜀\n",
        "    aws_s3_bucket: vpcraft가 다루는 네트워크 리소스가 아닙니다: aws_s3_bucket.logs 건너뜀\n",
    ] {
        assert!(ko.contains(want), "{want}\n{ko}");
    }
    assert_eq!(english_left(&ko.replace(p, "")), None, "{ko}");
    let en = stderr(&vpcraft(&["import", p, "-o", "-"]));
    assert!(
        en.contains("    aws_s3_bucket: not a network resource vpcraft models: skipped aws_s3_bucket.logs\n"),
        "{en}"
    );
    assert!(
        en.contains("    aws_flow_log: flow logs do not change where packets go: skipped aws_flow_log.all\n"),
        "{en}"
    );
}
