// Package provider looks greetings up in a table embedded into the module.
package provider

import (
	_ "embed"
	"encoding/json"
)

//go:embed greetings.json
var table []byte

var greetings map[string]string

func init() {
	if err := json.Unmarshal(table, &greetings); err != nil {
		panic(err)
	}
}

func Greeting(language string) string {
	if g, ok := greetings[language]; ok {
		return g
	}
	return greetings["en"]
}
