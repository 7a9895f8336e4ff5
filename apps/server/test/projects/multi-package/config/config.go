// Package config reads the plugin's configuration.
package config

import (
	"errors"

	"github.com/tidwall/gjson"
)

type Config struct {
	Language string
}

func (c *Config) FromJSON(json gjson.Result) error {
	c.Language = json.Get("language").String()
	if c.Language == "" {
		return errors.New("language is required")
	}
	return nil
}
